package dev.atpkeyserver.server.ratelimit;

import dev.atpkeyserver.xrpc.ErrorKind;
import dev.atpkeyserver.xrpc.KeyserverException;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code X-RateLimit-*} headers every limited response carries, and the 429 a refused request
 * gets.
 */
public final class RateLimitHeaders {

  static final HeaderName LIMIT = HeaderNames.create("X-RateLimit-Limit");
  static final HeaderName REMAINING = HeaderNames.create("X-RateLimit-Remaining");
  static final HeaderName RESET = HeaderNames.create("X-RateLimit-Reset");

  private RateLimitHeaders() {}

  /**
   * Puts the rate-limit headers decided for {@code request} back on its response. Error handlers
   * call it: Helidon clears the headers of a response before it hands it to an error handler.
   */
  public static void restore(ServerRequest request, ServerResponse response) {
    RateLimitState.of(request).ifPresent(state -> state.rewriteHeaders(response));
  }

  static void write(ServerResponse response, Quota quota) {
    response.header(LIMIT, Integer.toString(quota.limit()));
    response.header(REMAINING, Integer.toString(quota.remaining()));
    response.header(RESET, Long.toString(quota.resetEpochSecond()));
  }

  /** The contract's 429: the error body, {@code Retry-After} and the refusing budget's headers. */
  static KeyserverException tooManyRequests(Quota quota) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Retry-After", Long.toString(quota.retryAfterSeconds()));
    headers.put(LIMIT.defaultCase(), Integer.toString(quota.limit()));
    headers.put(REMAINING.defaultCase(), "0");
    headers.put(RESET.defaultCase(), Long.toString(quota.resetEpochSecond()));
    return new KeyserverException(
        ErrorKind.TOO_MANY_REQUESTS,
        "Rate limit exceeded, retry in " + quota.retryAfterSeconds() + " s",
        headers);
  }
}
