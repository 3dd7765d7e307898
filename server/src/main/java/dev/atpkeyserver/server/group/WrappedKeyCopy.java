package dev.atpkeyserver.server.group;

import dev.atpkeyserver.did.Did;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One copy of a client-wrapped group key: the group key encrypted by the owner's client for one
 * member, or for one of their devices. The keyserver cannot open it.
 *
 * @param memberDid whom it is for
 * @param deviceId which of their devices, if the copy is per device
 * @param ciphertext the wrapped key
 * @param createdAt when it was stored (for a copy being put, the time it will be stored with)
 */
// The bytes are handed from the request to the database and back, never changed in between.
@SuppressWarnings("ArrayRecordComponent")
public record WrappedKeyCopy(
    Did memberDid, Optional<String> deviceId, byte[] ciphertext, Instant createdAt) {

  public WrappedKeyCopy {
    Objects.requireNonNull(memberDid, "memberDid");
    Objects.requireNonNull(deviceId, "deviceId");
    Objects.requireNonNull(ciphertext, "ciphertext");
    Objects.requireNonNull(createdAt, "createdAt");
  }

  @Override
  public String toString() {
    return "WrappedKeyCopy[" + memberDid + ", " + deviceId.orElse("-") + "]";
  }
}
