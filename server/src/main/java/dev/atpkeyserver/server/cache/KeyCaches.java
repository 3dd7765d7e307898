package dev.atpkeyserver.server.cache;

/**
 * The caches of key rows this instance serves reads from. They hold exactly what the database
 * returned: public keys in clear, private and group keys still sealed by the master key (opened per
 * read, as without the cache), so a heap dump reveals no more than a database dump.
 *
 * <p>What is cached never changes once written (a given version of a key) except "which version is
 * active" and "who may read a group", and every write that changes those invalidates its scope
 * through {@link Invalidations}.
 *
 * @param keypairs keypair rows by user DID (scope {@link CacheScope.Kind#KEYPAIR}), owned and typed
 *     by the keypair service
 * @param groupKeys group key rows by group id (scope {@link CacheScope.Kind#GROUP}), owned and
 *     typed by the group service
 */
public record KeyCaches(ScopedCache<?, ?> keypairs, ScopedCache<?, ?> groupKeys) {

  /** The key used for "the active version" (stored versions start at 1). */
  public static final int ACTIVE = 0;

  /** Drops what {@code scope} covers. */
  public void invalidate(CacheScope scope) {
    switch (scope.kind()) {
      case KEYPAIR -> keypairs.invalidate(scope.id());
      case GROUP -> groupKeys.invalidate(scope.id());
      case ALL -> {
        keypairs.invalidateAll();
        groupKeys.invalidateAll();
      }
    }
  }

  /** Stops serving from the caches (the invalidation feed is down). */
  public void disable() {
    keypairs.disable();
    groupKeys.disable();
  }

  /** Serves again, from empty caches. */
  public void enable() {
    keypairs.enable();
    groupKeys.enable();
  }

  /** Whether reads are currently served from the caches. */
  public boolean enabled() {
    return keypairs.enabled() && groupKeys.enabled();
  }
}
