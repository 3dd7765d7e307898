package dev.atpkeyserver.did;

/**
 * The DID host positively said the DID does not exist (for example HTTP 404), as opposed to a
 * network failure, which is {@link DidHostUnavailableException}.
 */
public final class DidNotFoundException extends DidResolutionException {

  /**
   * Creates the exception.
   *
   * @param did the DID that was not found
   * @param status the HTTP status the host answered with
   */
  public DidNotFoundException(Did did, int status) {
    super("DID not found: " + did + " (HTTP " + status + ")");
  }
}
