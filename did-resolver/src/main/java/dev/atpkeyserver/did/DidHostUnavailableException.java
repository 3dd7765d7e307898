package dev.atpkeyserver.did;

/**
 * The DID host (PLC directory or did:web server) could not give an answer: network failure,
 * timeout, an error status, or a redirect (redirects are never followed).
 *
 * <p>{@link #retryable()} tells whether trying again later may succeed (timeouts, connection
 * failures, 5xx, 429) or not (redirects, other 4xx).
 */
public final class DidHostUnavailableException extends DidResolutionException {

  private final boolean retryable;

  /**
   * Creates the exception.
   *
   * @param message what failed, safe to show
   * @param retryable whether a later attempt may succeed
   */
  public DidHostUnavailableException(String message, boolean retryable) {
    super(message);
    this.retryable = retryable;
  }

  /**
   * Creates the exception with the I/O failure as cause.
   *
   * @param message what failed, safe to show
   * @param retryable whether a later attempt may succeed
   * @param cause the underlying failure
   */
  public DidHostUnavailableException(String message, boolean retryable, Throwable cause) {
    super(message, cause);
    this.retryable = retryable;
  }

  /**
   * Whether a later attempt may succeed.
   *
   * @return true for timeouts, connection failures, HTTP 5xx and 429
   */
  public boolean retryable() {
    return retryable;
  }
}
