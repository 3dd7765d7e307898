package dev.atpkeyserver.xrpc;

import dev.atpkeyserver.did.Did;
import java.util.Objects;
import java.util.Optional;

/**
 * Who made an XRPC call and from where, as decided by the {@link XrpcAuthenticator} before the
 * handler runs. Handlers get it instead of the HTTP request, so they stay free of HTTP types.
 *
 * @param nsid the method called
 * @param callerDid the authenticated user; empty for a call to a public method
 * @param clientIp the client's IP address, if known (already resolved through trusted proxies)
 * @param userAgent the {@code User-Agent} header, if sent
 */
public record XrpcCall(
    String nsid, Optional<Did> callerDid, Optional<String> clientIp, Optional<String> userAgent) {

  /** Checks that no component is null. */
  public XrpcCall {
    Objects.requireNonNull(nsid, "nsid");
    Objects.requireNonNull(callerDid, "callerDid");
    Objects.requireNonNull(clientIp, "clientIp");
    Objects.requireNonNull(userAgent, "userAgent");
  }

  /**
   * The authenticated caller, for methods that need one.
   *
   * @return the DID
   * @throws KeyserverException {@link ErrorKind#UNAUTHORIZED} if the call is not authenticated
   */
  public Did caller() {
    return callerDid.orElseThrow(
        () -> new KeyserverException(ErrorKind.UNAUTHORIZED, "Authentication required"));
  }
}
