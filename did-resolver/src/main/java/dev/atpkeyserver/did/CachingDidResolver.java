package dev.atpkeyserver.did;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An in-memory cache in front of another resolver, after the official {@code MemoryCache}.
 *
 * <ul>
 *   <li>An entry younger than {@code staleTtl} (default 1 h) is served as is.
 *   <li>An entry older than {@code staleTtl} but not older than {@code maxTtl} (default 24 h) is
 *       served at once and refreshed in the background; if the refresh fails the entry keeps being
 *       served until {@code maxTtl}.
 *   <li>An entry older than {@code maxTtl} is dropped and the DID fetched before answering.
 *   <li>A forced refresh fetches again while the DID's {@link ForcedRefreshBudget} allows it: a
 *       burst of {@code forcedRefreshBurst} fetches (default 3), refilled by one every {@code
 *       minForcedRefreshInterval} (default 10 s); past it the cached document is returned. Forced
 *       refreshes follow bad signatures: a full budget lets the first token signed with a just
 *       rotated key fetch at once, and the budget bounds how often a stream of bad tokens can make
 *       us call the PLC directory for one DID. The budget outlives the DID's refetches. A throttled
 *       forced refresh joins a fetch of that DID already under way, if any.
 *   <li>Single flight: concurrent fetches of one DID (cache misses, forced and background refreshes
 *       alike) share one call to the delegate.
 *   <li>Failures are not cached, except that with a positive {@code negativeTtl} (default zero, as
 *       in the official cache) a fetch that says "not found" or returns a malformed document is
 *       remembered for that long, and a miss or forced refresh of that DID gets the same failure
 *       without a fetch. A live cached document always wins over a remembered failure. A fetch that
 *       finds the DID gone ({@link DidNotFoundException}) removes the entry, as the official cache
 *       does.
 *   <li>At most {@code maxEntries} entries (default 10,000); the least recently used is evicted.
 * </ul>
 *
 * <p>Time comes from an injected {@link Clock}. Background refreshes run on virtual threads by
 * default. Threads waiting for a shared fetch receive the same exception instance as the thread
 * that ran it.
 */
public final class CachingDidResolver implements DidResolver {

  /** Default age after which an entry is refreshed in the background. */
  public static final Duration DEFAULT_STALE_TTL = Duration.ofHours(1);

  /** Default age after which an entry is no longer served. */
  public static final Duration DEFAULT_MAX_TTL = Duration.ofHours(24);

  /** Default time in which one DID earns back one forced refresh. */
  public static final Duration DEFAULT_MIN_FORCED_REFRESH_INTERVAL = Duration.ofSeconds(10);

  /** Default number of forced refreshes one DID may cause in a row. */
  public static final int DEFAULT_FORCED_REFRESH_BURST = 3;

  /** Default time a "not found" or malformed answer is remembered: zero, none (official cache). */
  public static final Duration DEFAULT_NEGATIVE_TTL = Duration.ZERO;

  /** Default bound on the number of cached documents. */
  public static final int DEFAULT_MAX_ENTRIES = 10_000;

  private final DidResolver delegate;
  private final Duration staleTtl;
  private final Duration maxTtl;
  private final Duration minForcedRefreshInterval;
  private final int forcedRefreshBurst;
  private final Clock clock;
  private final Executor backgroundExecutor;

  private final ReentrantLock lock = new ReentrantLock();
  private final LruMap entries;
  private final Map<String, CompletableFuture<DidDocument>> inFlight = new ConcurrentHashMap<>();
  private final NegativeCache negatives;

  private final LongAdder hits = new LongAdder();
  private final LongAdder staleHits = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private final LongAdder forcedRefreshes = new LongAdder();
  private final LongAdder throttledForcedRefreshes = new LongAdder();
  private final LongAdder backgroundRefreshes = new LongAdder();
  private final LongAdder fetches = new LongAdder();
  private final LongAdder fetchFailures = new LongAdder();
  private final LongAdder evictions = new LongAdder();

  private CachingDidResolver(Builder builder) {
    this.delegate = builder.delegate;
    this.staleTtl = builder.staleTtl;
    this.maxTtl = builder.maxTtl;
    this.minForcedRefreshInterval = builder.minForcedRefreshInterval;
    this.forcedRefreshBurst = builder.forcedRefreshBurst;
    this.clock = builder.clock;
    this.backgroundExecutor = builder.backgroundExecutor;
    this.entries = new LruMap(builder.maxEntries);
    this.negatives = new NegativeCache(builder.negativeTtl, builder.maxEntries);
  }

  /**
   * Creates a cache with the default settings.
   *
   * @param delegate the resolver that fetches
   */
  public CachingDidResolver(DidResolver delegate) {
    this(builder(delegate));
  }

  /**
   * Starts building a cache.
   *
   * @param delegate the resolver that fetches
   * @return a builder with the default settings
   */
  public static Builder builder(DidResolver delegate) {
    return new Builder(delegate);
  }

  /**
   * What the cache has done since it was created; for metrics and tests.
   *
   * @param hits reads answered from the cache, fresh or stale
   * @param staleHits the hits that were past {@code staleTtl} and triggered a background refresh
   * @param misses reads that had to fetch before answering
   * @param forcedRefreshes forced refreshes that fetched
   * @param throttledForcedRefreshes forced refreshes answered from the cache
   * @param backgroundRefreshes background refreshes started
   * @param fetches calls to the delegate
   * @param fetchFailures calls to the delegate that failed
   * @param evictions entries dropped to stay within {@code maxEntries}
   * @param size entries held now
   */
  public record Stats(
      long hits,
      long staleHits,
      long misses,
      long forcedRefreshes,
      long throttledForcedRefreshes,
      long backgroundRefreshes,
      long fetches,
      long fetchFailures,
      long evictions,
      int size) {}

  @Override
  public DidDocument resolve(Did did, boolean forceRefresh) throws DidResolutionException {
    Objects.requireNonNull(did, "did");
    String key = did.toString();
    Instant now = clock.instant();
    CachedDocument entry = liveEntry(key, now);
    if (forceRefresh) {
      if (entry != null && !entry.forcedRefreshes().tryTake(now)) {
        throttledForcedRefreshes.increment();
        // Joining a fetch that is already running costs nothing and may carry the new key.
        CompletableFuture<DidDocument> running = inFlight.get(key);
        return running != null ? await(running) : entry.document();
      }
      forcedRefreshes.increment();
      return fetchShared(did);
    }
    if (entry != null) {
      hits.increment();
      if (entry.age(now).compareTo(staleTtl) > 0) {
        staleHits.increment();
        refreshInBackground(did);
      }
      return entry.document();
    }
    misses.increment();
    return fetchShared(did);
  }

  /**
   * Returns the counters.
   *
   * @return a snapshot of the counters and the current number of entries
   */
  public Stats stats() {
    int size;
    lock.lock();
    try {
      size = entries.size();
    } finally {
      lock.unlock();
    }
    return new Stats(
        hits.sum(),
        staleHits.sum(),
        misses.sum(),
        forcedRefreshes.sum(),
        throttledForcedRefreshes.sum(),
        backgroundRefreshes.sum(),
        fetches.sum(),
        fetchFailures.sum(),
        evictions.sum(),
        size);
  }

  /** The entry for the DID unless it is past maxTtl (then it is dropped); marks it used. */
  private CachedDocument liveEntry(String key, Instant now) {
    lock.lock();
    try {
      CachedDocument entry = entries.get(key);
      if (entry != null && entry.age(now).compareTo(maxTtl) > 0) {
        entries.remove(key);
        return null;
      }
      return entry;
    } finally {
      lock.unlock();
    }
  }

  private DidDocument fetchShared(Did did) throws DidResolutionException {
    String key = did.toString();
    DidResolutionException remembered = negatives.lookup(key, clock.instant());
    if (remembered != null) {
      throw remembered;
    }
    CompletableFuture<DidDocument> mine = new CompletableFuture<>();
    CompletableFuture<DidDocument> running = inFlight.putIfAbsent(key, mine);
    if (running != null) {
      return await(running);
    }
    fetch(did, key, mine);
    return await(mine);
  }

  private void refreshInBackground(Did did) {
    String key = did.toString();
    CompletableFuture<DidDocument> mine = new CompletableFuture<>();
    if (inFlight.putIfAbsent(key, mine) != null) {
      return; // a fetch is already running and will update the entry
    }
    backgroundRefreshes.increment();
    try {
      backgroundExecutor.execute(() -> fetch(did, key, mine));
    } catch (RejectedExecutionException e) {
      // Keep serving the stale entry; the next read tries again.
      inFlight.remove(key, mine);
      mine.completeExceptionally(e);
    }
  }

  /** Runs one delegate call for everyone waiting on {@code future}; never throws. */
  private void fetch(Did did, String key, CompletableFuture<DidDocument> future) {
    fetches.increment();
    try {
      DidDocument document =
          Objects.requireNonNull(delegate.resolve(did, true), "delegate returned null");
      put(key, document, clock.instant());
      negatives.forget(key);
      // Store before leaving the in-flight map, so no caller can miss both.
      inFlight.remove(key, future);
      future.complete(document);
    } catch (Throwable failure) {
      fetchFailures.increment();
      if (failure instanceof DidNotFoundException) {
        remove(key);
      }
      if (NegativeCache.isDefinite(failure)) {
        negatives.remember(key, (DidResolutionException) failure, clock.instant());
      }
      inFlight.remove(key, future);
      future.completeExceptionally(failure);
    }
  }

  private static DidDocument await(CompletableFuture<DidDocument> future)
      throws DidResolutionException {
    try {
      // Bounded: the fetch it waits for is bounded by the delegate's own timeout.
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DidHostUnavailableException("Interrupted while resolving a DID", false, e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof DidResolutionException resolution) {
        throw resolution;
      }
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException("DID resolution failed", cause);
    }
  }

  /** Stores a fetched document, keeping the DID's forced-refresh budget if it has one. */
  private void put(String key, DidDocument document, Instant fetchedAt) {
    lock.lock();
    try {
      CachedDocument previous = entries.get(key);
      ForcedRefreshBudget budget =
          previous != null
              ? previous.forcedRefreshes()
              : new ForcedRefreshBudget(forcedRefreshBurst, minForcedRefreshInterval, fetchedAt);
      entries.put(key, new CachedDocument(document, fetchedAt, budget));
    } finally {
      lock.unlock();
    }
  }

  private void remove(String key) {
    lock.lock();
    try {
      entries.remove(key);
    } finally {
      lock.unlock();
    }
  }

  private record CachedDocument(
      DidDocument document, Instant fetchedAt, ForcedRefreshBudget forcedRefreshes) {
    Duration age(Instant now) {
      return Duration.between(fetchedAt, now);
    }
  }

  /** Access-ordered map that evicts the least recently used entry; guarded by {@code lock}. */
  private final class LruMap extends LinkedHashMap<String, CachedDocument> {
    private final int maxEntries;

    LruMap(int maxEntries) {
      super(16, 0.75f, true);
      this.maxEntries = maxEntries;
    }

    @Override
    protected boolean removeEldestEntry(Map.Entry<String, CachedDocument> eldest) {
      if (size() > maxEntries) {
        evictions.increment();
        return true;
      }
      return false;
    }
  }

  /** Builds a {@link CachingDidResolver}; every setting starts at its default. */
  public static final class Builder {
    private final DidResolver delegate;
    private Duration staleTtl = DEFAULT_STALE_TTL;
    private Duration maxTtl = DEFAULT_MAX_TTL;
    private Duration minForcedRefreshInterval = DEFAULT_MIN_FORCED_REFRESH_INTERVAL;
    private int forcedRefreshBurst = DEFAULT_FORCED_REFRESH_BURST;
    private Duration negativeTtl = DEFAULT_NEGATIVE_TTL;
    private int maxEntries = DEFAULT_MAX_ENTRIES;
    private Clock clock = Clock.systemUTC();
    private Executor backgroundExecutor = Executors.newVirtualThreadPerTaskExecutor();

    private Builder(DidResolver delegate) {
      this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /**
     * Sets the age after which an entry is refreshed in the background.
     *
     * @param staleTtl positive, at most {@code maxTtl}
     * @return this builder
     */
    public Builder staleTtl(Duration staleTtl) {
      this.staleTtl = Objects.requireNonNull(staleTtl, "staleTtl");
      return this;
    }

    /**
     * Sets the age after which an entry is no longer served.
     *
     * @param maxTtl positive, at least {@code staleTtl}
     * @return this builder
     */
    public Builder maxTtl(Duration maxTtl) {
      this.maxTtl = Objects.requireNonNull(maxTtl, "maxTtl");
      return this;
    }

    /**
     * Sets the time in which one DID earns back one forced refresh, once its burst is spent.
     *
     * @param minForcedRefreshInterval zero or positive; zero lets every forced refresh fetch
     * @return this builder
     */
    public Builder minForcedRefreshInterval(Duration minForcedRefreshInterval) {
      this.minForcedRefreshInterval =
          Objects.requireNonNull(minForcedRefreshInterval, "minForcedRefreshInterval");
      return this;
    }

    /**
     * Sets how many forced refreshes one DID may cause in a row before they are throttled to one
     * per {@code minForcedRefreshInterval}.
     *
     * @param forcedRefreshBurst at least 1
     * @return this builder
     */
    public Builder forcedRefreshBurst(int forcedRefreshBurst) {
      this.forcedRefreshBurst = forcedRefreshBurst;
      return this;
    }

    /**
     * Sets how long a fetch that said "not found" or returned a malformed document is remembered,
     * so that repeated resolutions of that DID fail without fetching again.
     *
     * @param negativeTtl zero (the default) remembers nothing
     * @return this builder
     */
    public Builder negativeTtl(Duration negativeTtl) {
      this.negativeTtl = Objects.requireNonNull(negativeTtl, "negativeTtl");
      return this;
    }

    /**
     * Sets the bound on the number of entries (and, separately, of remembered failures).
     *
     * @param maxEntries at least 1
     * @return this builder
     */
    public Builder maxEntries(int maxEntries) {
      this.maxEntries = maxEntries;
      return this;
    }

    /**
     * Sets the clock entry ages are measured with.
     *
     * @param clock the clock; tests pass a controllable one
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Sets where background refreshes run.
     *
     * @param backgroundExecutor the executor; virtual threads by default
     * @return this builder
     */
    public Builder backgroundExecutor(Executor backgroundExecutor) {
      this.backgroundExecutor = Objects.requireNonNull(backgroundExecutor, "backgroundExecutor");
      return this;
    }

    /**
     * Builds the cache.
     *
     * @return the cache
     * @throws IllegalArgumentException if the settings are inconsistent
     */
    public CachingDidResolver build() {
      if (!staleTtl.isPositive() || maxTtl.compareTo(staleTtl) < 0) {
        throw new IllegalArgumentException("need 0 < staleTtl <= maxTtl");
      }
      if (minForcedRefreshInterval.isNegative()) {
        throw new IllegalArgumentException("minForcedRefreshInterval must not be negative");
      }
      if (forcedRefreshBurst < 1) {
        throw new IllegalArgumentException("forcedRefreshBurst must be at least 1");
      }
      if (negativeTtl.isNegative()) {
        throw new IllegalArgumentException("negativeTtl must not be negative");
      }
      if (maxEntries < 1) {
        throw new IllegalArgumentException("maxEntries must be at least 1");
      }
      return new CachingDidResolver(this);
    }
  }
}
