package dev.atpkeyserver.server.ratelimit;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * Whether requests are rate limited, and the budget of each class.
 *
 * @param enabled false turns every limit off (and with it the {@code X-RateLimit-*} headers)
 * @param limits the budget of every class
 */
public record RateLimitSettings(boolean enabled, Map<RateLimitClass, RateLimit> limits) {

  /** Checks that every class has a budget. */
  public RateLimitSettings {
    limits = Map.copyOf(limits);
    for (RateLimitClass rateClass : RateLimitClass.values()) {
      Objects.requireNonNull(limits.get(rateClass), () -> "no limit for " + rateClass);
    }
  }

  /** The contract's limits, enabled. */
  public static RateLimitSettings defaults() {
    Map<RateLimitClass, RateLimit> limits = new EnumMap<>(RateLimitClass.class);
    for (RateLimitClass rateClass : RateLimitClass.values()) {
      limits.put(rateClass, rateClass.defaultLimit());
    }
    return new RateLimitSettings(true, limits);
  }

  /** The budget of {@code rateClass}. */
  public RateLimit limit(RateLimitClass rateClass) {
    return limits.get(rateClass);
  }
}
