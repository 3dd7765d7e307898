package dev.atpkeyserver.xrpc;

import io.helidon.webserver.http.ServerRequest;

/**
 * Decides who is calling, before anything else about the request is looked at. The server
 * implements it: it knows which methods are public, verifies service auth tokens and computes the
 * client address. Generated routes call it first on every request.
 */
@FunctionalInterface
public interface XrpcAuthenticator {

  /**
   * Authenticates one call.
   *
   * @param nsid the method being called
   * @param request the HTTP request (headers, peer address); its body must not be read
   * @return the caller, with an empty DID for public methods
   * @throws KeyserverException {@link ErrorKind#UNAUTHORIZED} if authentication is required and
   *     fails
   */
  XrpcCall authenticate(String nsid, ServerRequest request);
}
