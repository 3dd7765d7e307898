-- Per-user Ed25519 keypairs, versioned. Portable between PostgreSQL 15 and H2 2.5 (PostgreSQL mode).

-- One row per user who has a keypair. It is the lock taken (SELECT ... FOR UPDATE) by rotations and
-- first-time creation, so concurrent requests for one user serialise here, and it remembers the
-- newest version so the next one is latest_version + 1.
CREATE TABLE keypair_owners (
    did            VARCHAR(2048)            NOT NULL PRIMARY KEY,
    latest_version INTEGER                  NOT NULL CHECK (latest_version >= 1),
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE keypair_versions (
    did                    VARCHAR(2048)            NOT NULL,
    version                INTEGER                  NOT NULL CHECK (version >= 1),
    -- 32-byte Ed25519 public key, public by design.
    public_key             BYTEA                    NOT NULL,
    -- The 32-byte private seed sealed with the master AEAD key; the associated data binds it to
    -- (did, version), so a row copied elsewhere does not decrypt.
    private_key_ciphertext BYTEA                    NOT NULL,
    -- TRUE for the active version, NULL for revoked ones: with the UNIQUE constraint below this
    -- allows exactly one active version per user (NULLs never collide) on both databases, which
    -- lack a common syntax for partial unique indexes.
    active                 BOOLEAN                  NULL CHECK (active = TRUE),
    created_at             TIMESTAMP WITH TIME ZONE NOT NULL,
    revoked_at             TIMESTAMP WITH TIME ZONE NULL,
    -- Why this version was revoked.
    revocation_reason      VARCHAR(64)              NULL,
    PRIMARY KEY (did, version),
    CONSTRAINT keypair_versions_one_active UNIQUE (did, active),
    CONSTRAINT keypair_versions_owner FOREIGN KEY (did) REFERENCES keypair_owners (did) ON DELETE CASCADE,
    CONSTRAINT keypair_versions_revoked_iff_inactive CHECK (
        (active IS NOT NULL AND revoked_at IS NULL AND revocation_reason IS NULL)
        OR (active IS NULL AND revoked_at IS NOT NULL AND revocation_reason IS NOT NULL))
);
