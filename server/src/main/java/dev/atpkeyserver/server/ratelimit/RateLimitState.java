package dev.atpkeyserver.server.ratelimit;

import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.Optional;

/**
 * What the rate limits decided for one request, kept in the request's context: the filter creates
 * it, the authenticator adds the caller's budgets, and error responses restore its headers (Helidon
 * clears the response headers before an error handler runs). One request is handled by one thread,
 * so it needs no synchronisation.
 */
final class RateLimitState {

  private final ServerResponse response;
  private final String clientKey;
  private Quota reported;
  private boolean clientCharged;

  RateLimitState(ServerResponse response, String clientKey) {
    this.response = response;
    this.clientKey = clientKey;
  }

  static Optional<RateLimitState> of(ServerRequest request) {
    return request.context().get(RateLimitState.class);
  }

  String clientKey() {
    return clientKey;
  }

  /** Whether the client's address has been charged for this request already. */
  boolean clientCharged() {
    return clientCharged;
  }

  /**
   * Charges the client's address and reports the result.
   *
   * @throws dev.atpkeyserver.xrpc.KeyserverException 429 if the address's budget is spent
   */
  void chargeClient(RateLimiter limiter) {
    clientCharged = true;
    apply(limiter.acquireForClient(clientKey));
  }

  /**
   * Charges a failed authentication to the client's address and reports the result.
   *
   * @throws dev.atpkeyserver.xrpc.KeyserverException 429 if the address's budget is spent
   */
  void chargeFailedAuthentication(RateLimiter limiter) {
    clientCharged = true;
    apply(limiter.acquireForFailedAuthentication(clientKey));
  }

  /**
   * Reports a quota that applies to this request (the tightest so far goes into the headers).
   *
   * @throws dev.atpkeyserver.xrpc.KeyserverException 429 if the quota refuses the request
   */
  void apply(Quota quota) {
    reported = reported == null ? quota : Quota.tighter(reported, quota);
    RateLimitHeaders.write(response, reported);
    if (!quota.allowed()) {
      throw RateLimitHeaders.tooManyRequests(quota);
    }
  }

  /** Writes the headers again, e.g. after the response was reset for an error. */
  void rewriteHeaders(ServerResponse res) {
    if (reported != null) {
      RateLimitHeaders.write(res, reported);
    }
  }
}
