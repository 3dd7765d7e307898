package dev.atpkeyserver.server.device;

import java.util.List;
import java.util.Optional;

/**
 * A device as its owner registers it: every key generated on the device, public halves only.
 *
 * @param deviceId the owner's id for it
 * @param name a name shown only to the owner
 * @param identityKey the 32-byte Ed25519 identity public key, which signed the other keys
 * @param signedPreKey the first signed prekey
 * @param oneTimePreKeys up to 100 one-time prekeys
 * @param lastResortKey the key bundles carry once the one-time prekeys run out
 */
public record Registration(
    DeviceId deviceId,
    Optional<String> name,
    PublicBytes identityKey,
    SignedPreKey signedPreKey,
    List<OneTimePreKey> oneTimePreKeys,
    Optional<SignedPreKey> lastResortKey) {

  /** Makes the list immutable. */
  public Registration {
    oneTimePreKeys = List.copyOf(oneTimePreKeys);
  }
}
