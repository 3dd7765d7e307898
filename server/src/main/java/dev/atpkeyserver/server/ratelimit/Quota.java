package dev.atpkeyserver.server.ratelimit;

/**
 * What one class's budget says about one request: whether it may go on, and what the {@code
 * X-RateLimit-*} headers report.
 *
 * @param allowed whether the request fits in the budget
 * @param limit requests allowed per window ({@code X-RateLimit-Limit})
 * @param remaining requests left in this window after this one ({@code X-RateLimit-Remaining})
 * @param resetEpochSecond when the window ends, Unix epoch seconds ({@code X-RateLimit-Reset})
 * @param retryAfterSeconds seconds until the window ends, at least 1 ({@code Retry-After})
 */
public record Quota(
    boolean allowed, int limit, int remaining, long resetEpochSecond, long retryAfterSeconds) {

  /**
   * Of two quotas that both apply to one request, the one to report: a refusal before an allowance
   * (the later-ending refusal, since the client must wait for it), otherwise the one with fewer
   * requests remaining.
   */
  static Quota tighter(Quota a, Quota b) {
    if (a.allowed != b.allowed) {
      return a.allowed ? b : a;
    }
    if (!a.allowed) {
      return a.resetEpochSecond >= b.resetEpochSecond ? a : b;
    }
    return a.remaining <= b.remaining ? a : b;
  }
}
