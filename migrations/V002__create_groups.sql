-- Groups, their versioned symmetric keys, and their members.

-- group_id is '{owner_did}#{name}'; owner_did is kept apart so "groups this user owns" is an
-- indexed lookup (access logs, account deletion). The row is also the lock for rotations.
CREATE TABLE key_groups (
    group_id       VARCHAR(2200)            NOT NULL PRIMARY KEY,
    owner_did      VARCHAR(2048)            NOT NULL,
    latest_version INTEGER                  NOT NULL CHECK (latest_version >= 1),
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX key_groups_by_owner ON key_groups (owner_did);

CREATE TABLE group_key_versions (
    group_id           VARCHAR(2200)            NOT NULL,
    version            INTEGER                  NOT NULL CHECK (version >= 1),
    -- The 32-byte XChaCha20-Poly1305 key sealed with the master AEAD key, bound to
    -- (group_id, version) by the associated data.
    key_ciphertext     BYTEA                    NOT NULL,
    -- TRUE for the active version, NULL otherwise: one active version per group (see V001).
    active             BOOLEAN                  NULL CHECK (active = TRUE),
    created_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    revoked_at         TIMESTAMP WITH TIME ZONE NULL,
    revocation_reason  VARCHAR(64)              NULL,
    PRIMARY KEY (group_id, version),
    CONSTRAINT group_key_versions_one_active UNIQUE (group_id, active),
    CONSTRAINT group_key_versions_group FOREIGN KEY (group_id) REFERENCES key_groups (group_id) ON DELETE CASCADE,
    CONSTRAINT group_key_versions_revoked_iff_inactive CHECK (
        (active IS NOT NULL AND revoked_at IS NULL AND revocation_reason IS NULL)
        OR (active IS NULL AND revoked_at IS NOT NULL AND revocation_reason IS NOT NULL))
);

CREATE TABLE group_members (
    group_id   VARCHAR(2200)            NOT NULL,
    member_did VARCHAR(2048)            NOT NULL,
    added_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (group_id, member_did),
    CONSTRAINT group_members_group FOREIGN KEY (group_id) REFERENCES key_groups (group_id) ON DELETE CASCADE
);
-- "Which groups is this user a member of" (account deletion).
CREATE INDEX group_members_by_member ON group_members (member_did);
