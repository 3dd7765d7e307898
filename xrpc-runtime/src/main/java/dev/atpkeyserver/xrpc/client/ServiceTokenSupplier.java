package dev.atpkeyserver.xrpc.client;

/**
 * Supplies the ATProto service auth token for one call. An app gets one from the user's PDS with
 * {@code com.atproto.server.getServiceAuth}, with {@code aud} the service's DID and {@code lxm} the
 * method's NSID; the PDS signs it with the user's key, and the service checks it against the user's
 * DID document.
 *
 * <p>It is called once per call, on the calling thread. Tokens are short-lived (60 seconds by
 * default) and bound to one method, so an implementation may reuse a token for the same NSID until
 * shortly before its {@code exp}, but must not hand one method's token to another.
 */
@FunctionalInterface
public interface ServiceTokenSupplier {

  /**
   * A token for calling {@code lxm}.
   *
   * @param lxm the NSID of the method about to be called, the token's {@code lxm} claim
   * @return the compact JWT, without a {@code Bearer } prefix
   */
  String token(String lxm);
}
