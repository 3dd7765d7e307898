package dev.atpkeyserver.server.device;

import java.time.Instant;

/**
 * A device just revoked.
 *
 * @param deviceId the device
 * @param revokedAt when
 * @param reason why, as its owner said
 */
public record Revocation(DeviceId deviceId, Instant revokedAt, String reason) {}
