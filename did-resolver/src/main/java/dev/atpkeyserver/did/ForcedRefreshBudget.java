package dev.atpkeyserver.did;

import java.time.Duration;
import java.time.Instant;

/**
 * How many forced refreshes one DID may still cause: a token bucket holding at most {@code burst}
 * fetches, refilled by one every {@code interval}. A full bucket lets the first forced refresh
 * after a signing-key rotation fetch at once, however recently the DID was fetched, while a stream
 * of bad tokens for one DID costs at most {@code burst} fetches, then one per {@code interval}.
 *
 * <p>Kept as a "theoretical arrival time" (GCRA): the instant the bucket would be full again. One
 * field, no timer; thread-safe.
 */
final class ForcedRefreshBudget {

  private final long intervalNanos;
  private final long burstNanos;
  private long fullAtNanos;

  /**
   * A full bucket.
   *
   * @param burst at least 1
   * @param interval zero (never throttle) or positive
   * @param now the current instant
   */
  ForcedRefreshBudget(int burst, Duration interval, Instant now) {
    this.intervalNanos = interval.toNanos();
    this.burstNanos = intervalNanos * burst;
    this.fullAtNanos = nanos(now);
  }

  /**
   * Takes one forced fetch from the bucket if one is left.
   *
   * @param now the current instant
   * @return true if the caller may fetch
   */
  synchronized boolean tryTake(Instant now) {
    long nowNanos = nanos(now);
    long fullAt = Math.max(fullAtNanos, nowNanos);
    // Taking one more would put the "full again" instant more than burst intervals ahead.
    if (fullAt + intervalNanos - nowNanos > burstNanos) {
      return false;
    }
    fullAtNanos = fullAt + intervalNanos;
    return true;
  }

  private static long nanos(Instant instant) {
    return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
  }
}
