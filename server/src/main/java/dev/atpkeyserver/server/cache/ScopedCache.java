package dev.atpkeyserver.server.cache;

import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * A bounded read-through cache whose entries are grouped by scope (a user's DID, a group id), so a
 * write can drop everything it may have made stale in one step.
 *
 * <p>Coherence rule: a value loaded from the database is kept only if no invalidation happened
 * between the start of its load and its insertion. Every invalidation bumps a generation counter; a
 * loader notes the generation before reading, inserts, then checks the generation again and takes
 * its entry back if it moved. So a load that raced a write can never leave the pre-write value
 * behind: either the invalidation comes after the insertion and removes it, or it came before and
 * the loader sees the new generation. A disabled cache (no invalidation feed) serves nothing.
 *
 * <p>Bounds: at most {@code maxEntries} values in all (arbitrary scopes are evicted past it), and
 * every value is served for at most {@code maxAge}, so even an invalidation that never arrives (a
 * listener behind a pooler that drops LISTEN, an instance of an older version that does not
 * announce its writes) is outlived by a bounded time.
 *
 * @param <K> the key within a scope
 * @param <V> the cached value; immutable
 */
public final class ScopedCache<K, V> {

  /** Keys kept per scope; more are served but not cached (a scope is one user or group). */
  static final int MAX_KEYS_PER_SCOPE = 32;

  private record Cached<V>(V value, long expiresAtNanos) {}

  private final int maxEntries;
  private final long maxAgeNanos;
  private final LongSupplier nanoTime;
  private final ConcurrentHashMap<String, Map<K, Cached<V>>> scopes = new ConcurrentHashMap<>();
  private final AtomicInteger entries = new AtomicInteger();
  private final AtomicLong generation = new AtomicLong();
  private volatile boolean enabled;

  /**
   * @param maxEntries how many values are kept in all; past it, arbitrary scopes are evicted
   * @param maxAge how long a value is served before it is read again
   * @param enabled whether the cache serves from the start
   */
  public ScopedCache(int maxEntries, Duration maxAge, boolean enabled) {
    this(maxEntries, maxAge, enabled, System::nanoTime);
  }

  ScopedCache(int maxEntries, Duration maxAge, boolean enabled, LongSupplier nanoTime) {
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries must be positive: " + maxEntries);
    }
    this.maxEntries = maxEntries;
    this.maxAgeNanos = maxAge.toNanos();
    this.nanoTime = nanoTime;
    this.enabled = enabled;
  }

  /**
   * The cached value, or what {@code loader} finds, remembered when present. Absent results are
   * never cached: nothing ever has to be invalidated when something is created.
   */
  public Optional<V> get(String scope, K key, Supplier<Optional<V>> loader) {
    if (enabled) {
      Map<K, Cached<V>> values = scopes.get(scope);
      Cached<V> hit = values == null ? null : values.get(key);
      if (hit != null && nanoTime.getAsLong() - hit.expiresAtNanos() < 0) {
        return Optional.of(hit.value());
      }
    }
    long before = generation.get();
    Optional<V> loaded = loader.get();
    loaded.ifPresent(value -> remember(before, scope, key, value));
    return loaded;
  }

  private void remember(long before, String scope, K key, V value) {
    if (!enabled || generation.get() != before) {
      return;
    }
    if (entries.get() >= maxEntries) {
      evictSome();
    }
    Cached<V> cached = new Cached<>(value, nanoTime.getAsLong() + maxAgeNanos);
    scopes.compute(scope, (s, values) -> with(values, key, cached));
    if (generation.get() != before) {
      // An invalidation ran while we loaded or inserted: our value may predate it.
      drop(scope);
    }
  }

  /** The scope's values with {@code key} set; runs under the scope's map lock, once per insert. */
  private Map<K, Cached<V>> with(Map<K, Cached<V>> values, K key, Cached<V> cached) {
    if (values == null) {
      entries.incrementAndGet();
      return Map.of(key, cached);
    }
    boolean replacing = values.containsKey(key);
    if (!replacing && values.size() >= MAX_KEYS_PER_SCOPE) {
      return values;
    }
    Map<K, Cached<V>> copy = new HashMap<>(values);
    copy.put(key, cached);
    if (!replacing) {
      entries.incrementAndGet();
    }
    return Map.copyOf(copy);
  }

  private void drop(String scope) {
    Map<K, Cached<V>> removed = scopes.remove(scope);
    if (removed != null) {
      entries.addAndGet(-removed.size());
    }
  }

  /** Drops about a sixteenth of the entries (at least one scope): cheap, amortised over inserts. */
  private void evictSome() {
    int toEvict = Math.max(1, maxEntries / 16);
    Iterator<String> it = scopes.keySet().iterator();
    while (toEvict > 0 && it.hasNext()) {
      Map<K, Cached<V>> removed = scopes.remove(it.next());
      if (removed != null) {
        entries.addAndGet(-removed.size());
        toEvict -= removed.size();
      }
    }
  }

  /** Forgets everything about one scope. Call after (and, across instances, because of) a write. */
  public void invalidate(String scope) {
    generation.incrementAndGet();
    drop(scope);
  }

  /** Forgets everything. */
  public void invalidateAll() {
    generation.incrementAndGet();
    for (String scope : scopes.keySet()) {
      drop(scope);
    }
  }

  /**
   * Stops serving and forgets everything: used while this instance cannot hear about other
   * instances' writes.
   */
  public void disable() {
    enabled = false;
    invalidateAll();
  }

  /** Serves again, starting empty: whatever was missed while disabled is then irrelevant. */
  public void enable() {
    invalidateAll();
    enabled = true;
  }

  /** Whether the cache currently serves entries. */
  public boolean enabled() {
    return enabled;
  }

  /** The number of cached scopes (for metrics and tests). */
  public int size() {
    return scopes.size();
  }

  /** The number of cached values in all scopes (for metrics and tests). */
  public int entries() {
    return entries.get();
  }
}
