package dev.atpkeyserver.did;

/**
 * A did:web names a host this server must not connect to: a loopback, private, link-local or
 * otherwise non-public address (SSRF guard, see {@link HostPolicy}). Nothing was sent to the host.
 */
public final class ForbiddenDidHostException extends DidResolutionException {

  /**
   * Creates the exception.
   *
   * @param message which host was refused and why, safe to show
   */
  public ForbiddenDidHostException(String message) {
    super(message);
  }
}
