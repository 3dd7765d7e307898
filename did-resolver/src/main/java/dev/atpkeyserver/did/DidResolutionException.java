package dev.atpkeyserver.did;

/**
 * Base type of every failure to turn a DID into a usable DID document.
 *
 * <p>Each subclass names one failure, so callers can map them to responses without parsing
 * messages. Messages are short, safe to log and to show to a client: they may name the DID, a host
 * or an HTTP status, never the body of a remote response.
 */
public abstract class DidResolutionException extends Exception {

  /**
   * Creates an exception with a safe message.
   *
   * @param message what failed, safe to show
   */
  protected DidResolutionException(String message) {
    super(message);
  }

  /**
   * Creates an exception with a safe message and the underlying cause (for logs).
   *
   * @param message what failed, safe to show
   * @param cause the underlying failure
   */
  protected DidResolutionException(String message, Throwable cause) {
    super(message, cause);
  }
}
