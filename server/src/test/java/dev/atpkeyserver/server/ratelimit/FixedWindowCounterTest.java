package dev.atpkeyserver.server.ratelimit;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import dev.atpkeyserver.server.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Fixed windows, their reset, and the bound on the counters they hold. */
class FixedWindowCounterTest {

  private static final Instant WINDOW_START = Instant.parse("2024-01-24T12:00:00Z");

  private final MutableClock clock = new MutableClock(WINDOW_START.plusSeconds(15));

  @Test
  void countsDownToTheLimitThenRefusesUntilTheWindowEnds() {
    FixedWindowCounter counter = new FixedWindowCounter(limit(3, 60), 100, clock);

    Quota first = counter.acquire("a");
    counter.acquire("a");
    Quota third = counter.acquire("a");
    Quota refused = counter.acquire("a");

    assertThat(first, equalTo(new Quota(true, 3, 2, WINDOW_START.getEpochSecond() + 60, 45)));
    assertThat(third.remaining(), equalTo(0));
    assertThat(third.allowed(), is(true));
    assertThat(refused, equalTo(new Quota(false, 3, 0, WINDOW_START.getEpochSecond() + 60, 45)));

    clock.advance(Duration.ofSeconds(45));
    Quota next = counter.acquire("a");

    assertThat(next, equalTo(new Quota(true, 3, 2, WINDOW_START.getEpochSecond() + 120, 60)));
  }

  @Test
  void peekDoesNotCount() {
    FixedWindowCounter counter = new FixedWindowCounter(limit(1, 60), 100, clock);

    assertThat(counter.peek("a").allowed(), is(true));
    assertThat(counter.acquire("a").allowed(), is(true));
    assertThat(counter.peek("a").allowed(), is(false));
  }

  @Test
  void windowsAreAlignedToTheEpochSoEveryKeyResetsTogether() {
    FixedWindowCounter counter = new FixedWindowCounter(limit(10, 3600), 100, clock);

    assertThat(
        counter.acquire("a").resetEpochSecond(), equalTo(WINDOW_START.getEpochSecond() + 3600));
    clock.advance(Duration.ofMinutes(20));
    assertThat(
        counter.acquire("b").resetEpochSecond(), equalTo(WINDOW_START.getEpochSecond() + 3600));
  }

  @Test
  void aFullWindowCountsUnseenKeysTogetherAndAnEndedWindowIsDropped() {
    FixedWindowCounter counter = new FixedWindowCounter(limit(5, 60), 100, clock);

    for (int i = 0; i < 10_000; i++) {
      counter.acquire("client-" + i);
    }

    assertThat(counter.keysInWindow(), equalTo(100));
    // Keys past the bound shared one counter of 5: the 9,900 of them spent it long ago.
    assertThat(counter.acquire("yet-another").allowed(), is(false));
    // Keys inside the bound keep their own budget.
    assertThat(counter.acquire("client-0").remaining(), equalTo(3));

    clock.advance(Duration.ofMinutes(1));
    assertThat(counter.acquire("yet-another").allowed(), is(true));
    assertThat(counter.keysInWindow(), equalTo(1));
  }

  @Test
  void aClockThatStepsBackKeepsTheNewerWindow() {
    FixedWindowCounter counter = new FixedWindowCounter(limit(1, 60), 100, clock);
    clock.advance(Duration.ofMinutes(1));
    counter.acquire("a");

    clock.set(WINDOW_START);

    assertThat(counter.acquire("a").allowed(), is(false));
  }

  private static RateLimit limit(int requests, long windowSeconds) {
    return new RateLimit(requests, Duration.ofSeconds(windowSeconds));
  }
}
