package dev.atpkeyserver.server.device;

import java.util.Optional;

/**
 * A device's prekeys after an upload.
 *
 * @param deviceId the device
 * @param signedPreKeyId the active signed prekey's id
 * @param oneTimePreKeyCount unclaimed one-time prekeys stored
 * @param lastResortKeyId the active last-resort key's id, if the device has one
 */
public record PreKeyState(
    DeviceId deviceId,
    KeyId signedPreKeyId,
    int oneTimePreKeyCount,
    Optional<KeyId> lastResortKeyId) {}
