package dev.atpkeyserver.server.auth;

import dev.atpkeyserver.did.Did;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Iterator;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Tokens that already passed every check, remembered until they expire. Clients reuse a service
 * token for its whole lifetime (a minute by default), so most requests skip the signature check
 * (about 130 µs of ECDSA) and the DID lookup.
 *
 * <p>Entries are keyed by the token's SHA-256, never the token itself, so a heap dump holds no
 * usable credentials. An entry answers only for the method the token was verified for, and only
 * until its {@code exp}: a hit is exactly as valid as a fresh verification at that moment, except
 * that a signing key rotated in the meantime is noticed only when the token expires (the DID cache
 * already allows that for up to its stale TTL).
 */
final class VerifiedTokenCache {

  private final Clock clock;
  private final int maxEntries;
  private final ConcurrentHashMap<Digest, Entry> entries = new ConcurrentHashMap<>();
  private final AtomicLong lastSweepMillis = new AtomicLong(Long.MIN_VALUE / 2);
  private static final long SWEEP_INTERVAL_MILLIS = 1_000;

  private record Entry(Did issuer, String nsid, double exp) {}

  /** A token's SHA-256 as four longs: a quarter of the memory of its hex string. */
  private record Digest(long a, long b, long c, long d) {}

  VerifiedTokenCache(Clock clock, int maxEntries) {
    this.clock = clock;
    this.maxEntries = maxEntries;
  }

  /** The issuer of {@code token} if it was verified for {@code nsid} and has not expired. */
  Optional<Did> lookup(String token, String nsid) {
    Digest key = digest(token);
    Entry entry = entries.get(key);
    if (entry == null) {
      return Optional.empty();
    }
    if (clock.millis() / 1000.0 > entry.exp()) {
      entries.remove(key, entry);
      return Optional.empty();
    }
    return entry.nsid().equals(nsid) ? Optional.of(entry.issuer()) : Optional.empty();
  }

  /** Remembers a token that just passed every check. */
  void remember(String token, String nsid, Did issuer, double exp) {
    if (entries.size() >= maxEntries) {
      makeRoom();
    }
    entries.put(digest(token), new Entry(issuer, nsid, exp));
  }

  /**
   * Drops expired entries, at most once a second, and then, if still full, an arbitrary sixteenth
   * of the live ones. So a full cache never costs a fresh token a scan of the whole cache: at most
   * one sweep a second, and one removal per insertion on average (a sixteenth of the entries makes
   * room for as many insertions). An entry dropped before it expires only costs its token one more
   * verification.
   */
  private void makeRoom() {
    long now = clock.millis();
    long last = lastSweepMillis.get();
    if (now - last >= SWEEP_INTERVAL_MILLIS && lastSweepMillis.compareAndSet(last, now)) {
      evictExpired();
    }
    if (entries.size() >= maxEntries) {
      int toEvict = Math.max(1, maxEntries / 16);
      Iterator<Digest> keys = entries.keySet().iterator();
      while (toEvict-- > 0 && keys.hasNext()) {
        keys.next();
        keys.remove();
      }
    }
  }

  /** Number of remembered tokens (for metrics and tests). */
  int size() {
    return entries.size();
  }

  private void evictExpired() {
    double now = clock.millis() / 1000.0;
    entries.values().removeIf(entry -> now > entry.exp());
  }

  private static Digest digest(String token) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      ByteBuffer hash = ByteBuffer.wrap(sha256.digest(token.getBytes(StandardCharsets.US_ASCII)));
      return new Digest(hash.getLong(), hash.getLong(), hash.getLong(), hash.getLong());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }
}
