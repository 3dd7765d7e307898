package dev.atpkeyserver.server.ratelimit;

import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/** The counters of every class, and which of them a request spends. */
final class RateLimiter {

  private final Map<RateLimitClass, FixedWindowCounter> counters =
      new EnumMap<>(RateLimitClass.class);

  /**
   * Failed authentications per client address, with the public budget. Kept apart from the public
   * counter so that an address refused before its token is checked is one that sent bad tokens, not
   * one whose users (behind one NAT) read many public keys.
   */
  private final FixedWindowCounter failedAuthentications;

  RateLimiter(RateLimitSettings settings, int maxKeysPerClass, Clock clock) {
    for (RateLimitClass rateClass : RateLimitClass.values()) {
      counters.put(
          rateClass, new FixedWindowCounter(settings.limit(rateClass), maxKeysPerClass, clock));
    }
    failedAuthentications =
        new FixedWindowCounter(settings.limit(RateLimitClass.PUBLIC), maxKeysPerClass, clock);
  }

  /** Counts a failed authentication: against the address's public budget and its failures. */
  Quota acquireForFailedAuthentication(String clientKey) {
    failedAuthentications.acquire(clientKey);
    return acquireForClient(clientKey);
  }

  /** How many more failed authentications the address may send, without counting one. */
  Quota peekFailedAuthentications(String clientKey) {
    return failedAuthentications.peek(clientKey);
  }

  /** Counts a public request (or a failed authentication) against the client's address. */
  Quota acquireForClient(String clientKey) {
    return counters.get(RateLimitClass.PUBLIC).acquire(clientKey);
  }

  /**
   * Counts an authenticated call against the caller's DID: the general budget, and the method's own
   * class if it has one (a rotation spends both). A call refused by the general budget does not
   * spend the method's own budget too.
   */
  Quota acquireForCaller(String did, String nsid) {
    Quota quota = counters.get(RateLimitClass.AUTHENTICATED).acquire(did);
    Optional<RateLimitClass> extra = RateLimitPolicy.extraClass(nsid);
    if (quota.allowed() && extra.isPresent()) {
      quota = Quota.tighter(quota, counters.get(extra.get()).acquire(did));
    }
    return quota;
  }
}
