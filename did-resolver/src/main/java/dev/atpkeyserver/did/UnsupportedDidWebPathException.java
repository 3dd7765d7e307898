package dev.atpkeyserver.did;

/**
 * A did:web with a path ({@code did:web:example.com:user:alice}). Like the official resolver, only
 * hostname-level did:web is supported.
 */
public final class UnsupportedDidWebPathException extends DidResolutionException {

  /**
   * Creates the exception.
   *
   * @param did the did:web that has a path
   */
  public UnsupportedDidWebPathException(Did did) {
    super("did:web with a path is not supported: " + did);
  }
}
