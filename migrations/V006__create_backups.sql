-- Encrypted key backups (backup.*). The server stores what the client encrypted and cannot read it.

-- One row per user who ever put a backup: the lock every put takes (SELECT ... FOR UPDATE), and the
-- last version number handed out (0 while the first put is still running). It outlives backup.delete
-- so that version numbers are never reused: a device holding an old expectedVersion can then never
-- match a newer backup by accident. Removed only by account.delete.
CREATE TABLE backup_heads (
    owner_did      VARCHAR(2048) NOT NULL PRIMARY KEY,
    latest_version INTEGER       NOT NULL CHECK (latest_version >= 0)
);

-- The newest 10 versions per user (older ones are deleted by the put that makes the 11th).
CREATE TABLE backups (
    owner_did   VARCHAR(2048)            NOT NULL,
    version     INTEGER                  NOT NULL CHECK (version >= 1),
    -- The decoded encryptedBundle, at most 64 KiB, and its length (for listVersions).
    bundle      BYTEA                    NOT NULL,
    size        INTEGER                  NOT NULL CHECK (size >= 0),
    -- Hex SHA-256 of bundle as the client sent it (its case kept); the server checked it on put.
    checksum    CHAR(64)                 NOT NULL,
    algorithm   VARCHAR(32)              NOT NULL,
    kdf         VARCHAR(32)              NULL,
    -- kdfParams as the JSON text the server wrote back from the client's object (at most 1 KiB).
    kdf_params  VARCHAR(1024)            NULL,
    nonce       VARCHAR(256)             NOT NULL,
    salt        VARCHAR(256)             NOT NULL,
    stored_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (owner_did, version),
    CONSTRAINT backups_head FOREIGN KEY (owner_did) REFERENCES backup_heads (owner_did) ON DELETE CASCADE
);
