package dev.atpkeyserver.server.ratelimit;

import dev.atpkeyserver.server.auth.XrpcAuthPolicy;
import dev.atpkeyserver.xrpc.ErrorKind;
import dev.atpkeyserver.xrpc.KeyserverException;
import dev.atpkeyserver.xrpc.XrpcAuthenticator;
import dev.atpkeyserver.xrpc.XrpcCall;
import io.helidon.webserver.http.ServerRequest;
import java.util.Optional;

/**
 * Wraps the authenticator of the XRPC routes to charge authenticated calls: to the caller's DID
 * when the token verifies, to the client's address when it does not. The generated routes call the
 * authenticator before anything else, so a refused call does no other work.
 */
final class RateLimitingAuthenticator implements XrpcAuthenticator {

  private final XrpcAuthenticator delegate;
  private final RateLimiter limiter;

  RateLimitingAuthenticator(XrpcAuthenticator delegate, RateLimiter limiter) {
    this.delegate = delegate;
    this.limiter = limiter;
  }

  @Override
  public XrpcCall authenticate(String nsid, ServerRequest request) {
    Optional<RateLimitState> found = RateLimitState.of(request);
    if (found.isEmpty() || XrpcAuthPolicy.isPublic(nsid)) {
      // Public methods were charged by the filter.
      return delegate.authenticate(nsid, request);
    }
    RateLimitState state = found.get();
    if (!state.clientCharged()) {
      // @NOTE An address that sent a public budget's worth of bad tokens is refused before its
      // next token is checked: checking one can cost a DID document fetch. Public reads from the
      // same address (many users behind one NAT) do not count here.
      Quota failures = limiter.peekFailedAuthentications(state.clientKey());
      if (!failures.allowed()) {
        state.apply(failures);
      }
    }
    XrpcCall call;
    try {
      call = delegate.authenticate(nsid, request);
    } catch (KeyserverException e) {
      if (e.kind() == ErrorKind.UNAUTHORIZED && !state.clientCharged()) {
        state.chargeFailedAuthentication(limiter);
      }
      throw e;
    }
    state.apply(limiter.acquireForCaller(call.caller().toString(), nsid));
    return call;
  }
}
