package dev.atpkeyserver.server.keys;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The time as the keyserver stores it: to the millisecond, so that what is written (a version's
 * creation or revocation, a key read) is exactly what the API reports later.
 */
public final class MillisecondClock {

  private final Clock clock;

  /**
   * @param clock the time source (a fixed or mutable clock in tests)
   */
  public MillisecondClock(Clock clock) {
    this.clock = clock;
  }

  /** The current instant, truncated to milliseconds. */
  public Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }
}
