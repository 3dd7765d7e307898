package dev.atpkeyserver.server.device;

import java.time.Instant;
import java.util.Optional;

/**
 * A device as {@code device.list} shows it. The name and the count are filled for the owner only.
 *
 * @param deviceId its id
 * @param identityKey its Ed25519 identity key
 * @param registeredAt when it was registered
 * @param lastRotatedAt when its signed prekey was last replaced, if ever
 * @param revokedAt when it was revoked; empty while active
 * @param revokeReason why it was revoked; empty while active
 * @param name its name, for the owner
 * @param oneTimePreKeyCount its unclaimed one-time prekeys, for the owner
 */
public record DeviceInfo(
    DeviceId deviceId,
    PublicBytes identityKey,
    Instant registeredAt,
    Optional<Instant> lastRotatedAt,
    Optional<Instant> revokedAt,
    Optional<String> revokeReason,
    Optional<String> name,
    Optional<Integer> oneTimePreKeyCount) {

  /** Whether it is still active. */
  public boolean isActive() {
    return revokedAt.isEmpty();
  }

  /** The identity key's fingerprint. */
  public String fingerprint() {
    return identityKey.fingerprint();
  }

  /** This device as anyone but its owner may see it: without its name and count. */
  DeviceInfo forOthers() {
    return new DeviceInfo(
        deviceId,
        identityKey,
        registeredAt,
        lastRotatedAt,
        revokedAt,
        revokeReason,
        Optional.empty(),
        Optional.empty());
  }
}
