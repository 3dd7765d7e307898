package dev.atpkeyserver.server.keys;

import java.time.Instant;

/**
 * The outcome of a key rotation (keypair or group key).
 *
 * @param oldVersion the version that was revoked
 * @param newVersion the version that is now active
 * @param rotatedAt when
 */
public record Rotation(int oldVersion, int newVersion, Instant rotatedAt) {}
