package dev.atpkeyserver.server.device;

import java.time.Instant;

/**
 * A device just registered.
 *
 * @param deviceId its id
 * @param fingerprint its identity key's fingerprint
 * @param oneTimePreKeyCount one-time prekeys stored for it
 * @param registeredAt when
 */
public record RegisteredDevice(
    DeviceId deviceId, String fingerprint, int oneTimePreKeyCount, Instant registeredAt) {}
