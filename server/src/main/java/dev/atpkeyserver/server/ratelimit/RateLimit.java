package dev.atpkeyserver.server.ratelimit;

import java.time.Duration;
import java.util.Objects;

/**
 * One budget: at most {@code requests} requests per key in each fixed window of length {@code
 * window}.
 *
 * @param requests requests allowed per window, at least 1
 * @param window the window length, whole seconds, at least one second
 */
public record RateLimit(int requests, Duration window) {

  /** Checks the bounds, so a bad configuration fails at start-up, not on a request. */
  public RateLimit {
    Objects.requireNonNull(window, "window");
    if (requests < 1) {
      throw new IllegalArgumentException("requests must be at least 1, not " + requests);
    }
    if (window.compareTo(Duration.ofSeconds(1)) < 0 || window.toNanosPart() != 0) {
      throw new IllegalArgumentException(
          "window must be a whole number of seconds, at least PT1S, not " + window);
    }
  }
}
