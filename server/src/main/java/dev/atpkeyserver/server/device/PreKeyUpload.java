package dev.atpkeyserver.server.device;

import java.util.List;
import java.util.Optional;

/**
 * New prekeys for one of the owner's devices; every part is optional.
 *
 * @param deviceId the device
 * @param signedPreKey a signed prekey replacing the active one
 * @param oneTimePreKeys one-time prekeys to add, up to 100
 * @param lastResortKey a last-resort key replacing the active one
 */
public record PreKeyUpload(
    DeviceId deviceId,
    Optional<SignedPreKey> signedPreKey,
    List<OneTimePreKey> oneTimePreKeys,
    Optional<SignedPreKey> lastResortKey) {

  /** Makes the list immutable. */
  public PreKeyUpload {
    oneTimePreKeys = List.copyOf(oneTimePreKeys);
  }
}
