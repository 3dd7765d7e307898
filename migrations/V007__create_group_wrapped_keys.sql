-- Client-wrapped group keys (group.putWrappedKeys / group.getWrappedKey): copies of a group key
-- the owner's client made and encrypted for each member or member device. The server cannot open
-- them; it only hands each member their own copies.

-- The group's current key id: the last one put that the group had not had before.
CREATE TABLE group_wrapped_key_heads (
    group_id       VARCHAR(2200) NOT NULL PRIMARY KEY,
    current_key_id VARCHAR(64)   NOT NULL,
    CONSTRAINT group_wrapped_key_heads_group FOREIGN KEY (group_id) REFERENCES key_groups (group_id) ON DELETE CASCADE
);

CREATE TABLE group_wrapped_keys (
    group_id   VARCHAR(2200)            NOT NULL,
    key_id     VARCHAR(64)              NOT NULL,
    member_did VARCHAR(2048)            NOT NULL,
    -- '' for a copy for the member as a whole (a primary key column cannot be NULL).
    device_id  VARCHAR(128)             NOT NULL,
    ciphertext BYTEA                    NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (group_id, key_id, member_did, device_id),
    -- Copies go with their group (the owner's account deletion included).
    CONSTRAINT group_wrapped_keys_group FOREIGN KEY (group_id) REFERENCES key_groups (group_id) ON DELETE CASCADE
);
-- Removing a member, and account deletion of a member, delete the copies made for them.
CREATE INDEX group_wrapped_keys_by_member ON group_wrapped_keys (member_did, group_id);
