package dev.atpkeyserver.did;

/** The DID is well formed but its method is not one this resolver handles (only plc and web). */
public final class UnsupportedDidMethodException extends DidResolutionException {

  /**
   * Creates the exception.
   *
   * @param did the DID whose method is not supported
   */
  public UnsupportedDidMethodException(Did did) {
    super("Unsupported DID method: did:" + did.method());
  }
}
