package dev.atpkeyserver.server.group;

import dev.atpkeyserver.server.crypto.KeyMaterial;

/**
 * A group key version, opened. {@link KeyMaterial} keeps it out of {@code toString()}.
 *
 * @param groupId the group
 * @param version the version served
 * @param secret the 32-byte XChaCha20-Poly1305 key
 */
public record GroupKey(GroupId groupId, int version, KeyMaterial secret) {}
