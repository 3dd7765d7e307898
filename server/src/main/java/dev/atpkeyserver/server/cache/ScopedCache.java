package dev.atpkeyserver.server.cache;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
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
 * @param <K> the key within a scope
 * @param <V> the cached value; immutable
 */
public final class ScopedCache<K, V> {

  /** Keys kept per scope; more are served but not cached (a scope is one user or group). */
  static final int MAX_KEYS_PER_SCOPE = 16;

  private final int maxScopes;
  private final ConcurrentHashMap<String, Map<K, V>> scopes = new ConcurrentHashMap<>();
  private final AtomicLong generation = new AtomicLong();
  private volatile boolean enabled;

  /**
   * @param maxScopes how many scopes are kept; past it, arbitrary scopes are evicted
   * @param enabled whether the cache serves from the start
   */
  public ScopedCache(int maxScopes, boolean enabled) {
    if (maxScopes < 1) {
      throw new IllegalArgumentException("maxScopes must be positive: " + maxScopes);
    }
    this.maxScopes = maxScopes;
    this.enabled = enabled;
  }

  /**
   * The cached value, or what {@code loader} finds, remembered when present. Absent results are
   * never cached: nothing ever has to be invalidated when something is created.
   */
  public Optional<V> get(String scope, K key, Supplier<Optional<V>> loader) {
    if (enabled) {
      Map<K, V> entries = scopes.get(scope);
      V hit = entries == null ? null : entries.get(key);
      if (hit != null) {
        return Optional.of(hit);
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
    if (scopes.size() >= maxScopes) {
      evictSome();
    }
    scopes.compute(scope, (s, entries) -> with(entries, key, value));
    if (generation.get() != before) {
      // An invalidation ran while we loaded or inserted: our value may predate it.
      scopes.remove(scope);
    }
  }

  private Map<K, V> with(Map<K, V> entries, K key, V value) {
    if (entries == null) {
      return Map.of(key, value);
    }
    if (entries.containsKey(key) || entries.size() >= MAX_KEYS_PER_SCOPE) {
      return entries;
    }
    Map<K, V> copy = new HashMap<>(entries);
    copy.put(key, value);
    return Map.copyOf(copy);
  }

  /** Drops about a sixteenth of the scopes (at least one): cheap, and amortised over inserts. */
  private void evictSome() {
    int toEvict = Math.max(1, maxScopes / 16);
    Iterator<String> it = scopes.keySet().iterator();
    while (toEvict-- > 0 && it.hasNext()) {
      it.next();
      it.remove();
    }
  }

  /** Forgets everything about one scope. Call after (and, across instances, because of) a write. */
  public void invalidate(String scope) {
    generation.incrementAndGet();
    scopes.remove(scope);
  }

  /** Forgets everything. */
  public void invalidateAll() {
    generation.incrementAndGet();
    scopes.clear();
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
}
