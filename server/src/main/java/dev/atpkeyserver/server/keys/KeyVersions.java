package dev.atpkeyserver.server.keys;

import dev.atpkeyserver.xrpc.ErrorKind;
import dev.atpkeyserver.xrpc.KeyserverException;
import java.util.Optional;

/** Requested key versions: how a requested number maps to a stored one, and its refusals. */
public final class KeyVersions {

  private KeyVersions() {}

  /**
   * The stored form of a requested version. Versions are stored as INTEGER, so a larger number
   * cannot exist and maps to empty (answered as "not found").
   *
   * @throws KeyserverException {@code BAD_REQUEST} for zero or a negative number
   */
  public static Optional<Integer> stored(long requested) {
    if (requested < 1) {
      throw new KeyserverException(
          ErrorKind.BAD_REQUEST, "Invalid parameter 'version': must be a positive integer");
    }
    return requested <= Integer.MAX_VALUE ? Optional.of((int) requested) : Optional.empty();
  }

  /** The contract's answer for a version of an existing key that does not exist. */
  public static KeyserverException notFound() {
    return new KeyserverException(ErrorKind.NOT_FOUND, "Key version not found");
  }
}
