package dev.atpkeyserver.server.ratelimit;

import dev.atpkeyserver.server.net.ClientAddresses;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * Runs before every route. It leaves exempt paths alone, records the request's {@link
 * RateLimitState}, and charges every public request to the client's address right away, so a
 * refused one is answered 429 before any route runs. Calls to authenticated methods are charged by
 * {@link RateLimitingAuthenticator}, once the caller is known.
 */
final class RateLimitFilter implements Filter {

  private final RateLimiter limiter;
  private final ClientAddresses clientAddresses;

  RateLimitFilter(RateLimiter limiter, ClientAddresses clientAddresses) {
    this.limiter = limiter;
    this.clientAddresses = clientAddresses;
  }

  @Override
  public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
    String path = req.path().path();
    if (RateLimitPolicy.isExempt(path)) {
      chain.proceed();
      return;
    }
    RateLimitState state =
        new RateLimitState(res, ClientKeys.of(clientAddresses.clientAddress(req)));
    req.context().register(state);
    if (RateLimitPolicy.authenticatedNsid(req.prologue().method(), path).isEmpty()) {
      state.chargeClient(limiter);
    }
    chain.proceed();
  }
}
