package dev.atpkeyserver.did;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers, for a short time, DIDs whose last fetch said "not found" or returned a malformed
 * document, so that a flood of tokens naming such a DID costs one fetch per {@code ttl} instead of
 * one per token. Only definite answers are remembered: an unreachable or slow host is not (the next
 * request may succeed, and the concurrency cap bounds what a slow host can cost).
 *
 * <p>Lock-free (one {@link ConcurrentHashMap}). Bounded by clearing everything when full: a flood
 * of distinct bogus DIDs then costs fetches again, which the fetch concurrency cap bounds, but
 * never unbounded memory.
 */
final class NegativeCache {

  private record Remembered(DidResolutionException failure, Instant until) {}

  private final Duration ttl;
  private final int maxEntries;
  private final Map<String, Remembered> failures = new ConcurrentHashMap<>();

  /**
   * @param ttl how long a failure is remembered; zero disables the cache
   * @param maxEntries the bound on remembered DIDs
   */
  NegativeCache(Duration ttl, int maxEntries) {
    this.ttl = ttl;
    this.maxEntries = maxEntries;
  }

  /** Whether this failure is one to remember: the host answered, and the answer was unusable. */
  static boolean isDefinite(Throwable failure) {
    return failure instanceof DidNotFoundException
        || failure instanceof MalformedDidDocumentException;
  }

  /** The failure remembered for the DID, or null if none is younger than the TTL. */
  DidResolutionException lookup(String key, Instant now) {
    if (ttl.isZero()) {
      return null;
    }
    Remembered remembered = failures.get(key);
    if (remembered == null) {
      return null;
    }
    if (now.isAfter(remembered.until())) {
      failures.remove(key, remembered);
      return null;
    }
    return remembered.failure();
  }

  void remember(String key, DidResolutionException failure, Instant now) {
    if (ttl.isZero()) {
      return;
    }
    if (failures.size() >= maxEntries) {
      failures.clear();
    }
    failures.put(key, new Remembered(failure, now.plus(ttl)));
  }

  void forget(String key) {
    if (!ttl.isZero()) {
      failures.remove(key);
    }
  }

  int size() {
    return failures.size();
  }
}
