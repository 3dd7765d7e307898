package dev.atpkeyserver.server.device;

import java.util.Optional;

/**
 * What one claim hands out for one device: enough to start an X3DH session with it.
 *
 * @param deviceId the device
 * @param identityKey its Ed25519 identity key
 * @param signedPreKey its active signed prekey
 * @param oneTimePreKey the one-time prekey this claim consumed; empty when none was left
 * @param lastResortKey its last-resort key, only when {@code oneTimePreKey} is empty
 * @param remainingOneTimePreKeys unclaimed one-time prekeys it had left after this claim
 */
public record Bundle(
    DeviceId deviceId,
    PublicBytes identityKey,
    SignedPreKey signedPreKey,
    Optional<OneTimePreKey> oneTimePreKey,
    Optional<SignedPreKey> lastResortKey,
    int remainingOneTimePreKeys) {

  /** The identity key's fingerprint. */
  public String fingerprint() {
    return identityKey.fingerprint();
  }
}
