package dev.atpkeyserver.did;

/**
 * A public key encoding (did:key, Multikey or legacy multibase) could not be decoded into a point
 * on a supported curve.
 *
 * <p>Unchecked, because a bad key inside a DID document is reported through {@link
 * DidDocument#atprotoKeyProblem()} rather than thrown; callers that decode keys themselves (for
 * example a {@code did:key} issuer) catch this type. The message never repeats the input.
 */
public final class InvalidSigningKeyException extends IllegalArgumentException {

  /**
   * Creates the exception.
   *
   * @param message why the key is unusable
   */
  public InvalidSigningKeyException(String message) {
    super(message);
  }

  /**
   * Creates the exception with the decoder failure as cause.
   *
   * @param message why the key is unusable
   * @param cause the decoder failure
   */
  public InvalidSigningKeyException(String message, Throwable cause) {
    super(message, cause);
  }
}
