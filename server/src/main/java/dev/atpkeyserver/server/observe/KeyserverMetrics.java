package dev.atpkeyserver.server.observe;

import dev.atpkeyserver.did.CachingDidResolver;
import dev.atpkeyserver.server.auth.AuthenticationException;
import dev.atpkeyserver.server.db.Database;
import dev.atpkeyserver.server.db.PoolUsage;
import dev.atpkeyserver.xrpc.XrpcMethod;
import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.FunctionalCounter;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Metrics;
import io.helidon.metrics.api.Tag;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;

/**
 * The keyserver's meters, served as Prometheus text at {@code /observe/metrics}. Labels are bounded
 * sets chosen by the server: route names, status codes, refusal reasons and pool states; never a
 * DID, an address or a token.
 *
 * <p>Every Helidon meter registry is a view of Micrometer's one global registry, so meters are per
 * JVM, not per server. Production runs one server per JVM. When several run (the tests), the
 * request and refusal counters are shared and the DID cache and pool values are sums over the
 * servers still open.
 */
public final class KeyserverMetrics
    implements Consumer<AuthenticationException.Reason>, AutoCloseable {

  private static final MeterRegistry REGISTRY = Metrics.globalRegistry();
  private static final List<CachingDidResolver> CACHES = new CopyOnWriteArrayList<>();
  private static final List<Database> DATABASES = new CopyOnWriteArrayList<>();

  static {
    registerDidCacheMeters();
    registerPoolMeters();
  }

  private final RequestMetrics requests = new RequestMetrics(REGISTRY);
  private final EnumMap<AuthenticationException.Reason, Counter> authFailures =
      new EnumMap<>(AuthenticationException.Reason.class);
  private final List<Object> watched = new CopyOnWriteArrayList<>();

  /** Creates the counters that exist from the start. */
  public KeyserverMetrics() {
    for (AuthenticationException.Reason reason : AuthenticationException.Reason.values()) {
      authFailures.put(
          reason,
          REGISTRY.getOrCreate(
              Counter.builder("keyserver.auth.failures")
                  .description("Service auth tokens refused, by reason")
                  .tags(List.of(Tag.create("reason", reason.name().toLowerCase(Locale.ROOT))))));
    }
  }

  /** The registry {@code /observe/metrics} serves. */
  MeterRegistry registry() {
    return REGISTRY;
  }

  /** Counts one refused service auth token. */
  @Override
  public void accept(AuthenticationException.Reason reason) {
    authFailures.get(reason).increment();
  }

  /** The routing filter that counts, times and logs requests to the given XRPC methods. */
  public RequestObserver requestObserver(List<XrpcMethod> methods) {
    return new RequestObserver(methods, requests);
  }

  /** Includes this cache in the {@code keyserver_did_cache_*} meters until {@link #close}. */
  public void watch(CachingDidResolver cache) {
    CACHES.add(cache);
    watched.add(cache);
  }

  /** Includes this pool in the {@code keyserver_db_pool_*} meters until {@link #close}. */
  public void watch(Database database) {
    DATABASES.add(database);
    watched.add(database);
  }

  /** Stops reporting the caches and pools of this server. */
  @Override
  public void close() {
    CACHES.removeAll(watched);
    DATABASES.removeAll(watched);
    watched.clear();
  }

  /**
   * {@code keyserver_did_cache_*}: hits (of which stale), misses, forced refreshes (fetched or
   * throttled), fetches and their failures, evictions and size; read when scraped.
   */
  private static void registerDidCacheMeters() {
    didCounter("hits", "Reads answered from the cache", CachingDidResolver.Stats::hits);
    didCounter(
        "stale.hits",
        "Hits past the stale TTL, answered while refreshing in the background",
        CachingDidResolver.Stats::staleHits);
    didCounter("misses", "Reads that fetched first", CachingDidResolver.Stats::misses);
    didCounter(
        "forced.refreshes",
        "Refetches after a bad signature",
        CachingDidResolver.Stats::forcedRefreshes);
    didCounter(
        "throttled.refreshes",
        "Forced refreshes answered from the cache",
        CachingDidResolver.Stats::throttledForcedRefreshes);
    didCounter("fetches", "Calls to PLC or did:web hosts", CachingDidResolver.Stats::fetches);
    didCounter(
        "fetch.failures",
        "Calls to PLC or did:web hosts that failed",
        CachingDidResolver.Stats::fetchFailures);
    didCounter("evictions", "Entries dropped at max-entries", CachingDidResolver.Stats::evictions);
    REGISTRY.getOrCreate(
        Gauge.builder(
                "keyserver.did.cache.size",
                CACHES,
                caches -> caches.stream().mapToLong(c -> c.stats().size()).sum())
            .description("DID documents cached"));
  }

  private static void didCounter(
      String name, String description, ToLongFunction<CachingDidResolver.Stats> value) {
    REGISTRY.getOrCreate(
        FunctionalCounter.builder(
                "keyserver.did.cache." + name,
                CACHES,
                caches -> caches.stream().mapToLong(c -> value.applyAsLong(c.stats())).sum())
            .description(description));
  }

  /**
   * {@code keyserver_db_pool_connections{state=active|idle|pending|total}} and {@code
   * keyserver_db_pool_max}, read from HikariCP when scraped.
   */
  private static void registerPoolMeters() {
    poolGauge("active", PoolUsage::active);
    poolGauge("idle", PoolUsage::idle);
    poolGauge("pending", PoolUsage::pending);
    poolGauge("total", PoolUsage::total);
    REGISTRY.getOrCreate(
        Gauge.builder(
                "keyserver.db.pool.max",
                DATABASES,
                dbs -> dbs.stream().mapToLong(db -> db.settings().poolSize()).sum())
            .description("Most connections the pool opens"));
  }

  private static void poolGauge(String state, ToLongFunction<PoolUsage> value) {
    REGISTRY.getOrCreate(
        Gauge.builder(
                "keyserver.db.pool.connections",
                DATABASES,
                dbs -> dbs.stream().mapToLong(db -> value.applyAsLong(db.poolUsage())).sum())
            .description("Pooled database connections by state; pending counts waiting threads")
            .tags(List.of(Tag.create("state", state))));
  }
}
