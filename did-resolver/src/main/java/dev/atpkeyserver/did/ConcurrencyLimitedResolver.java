package dev.atpkeyserver.did;

import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.LongAdder;

/**
 * Caps how many resolutions run at once through the resolver it wraps, and refuses the rest at once
 * instead of queueing them.
 *
 * <p>Without a cap, a slow or hanging DID host turns a burst of tokens for uncached DIDs into as
 * many threads waiting for the full timeout and as many outbound connections. With it, at most
 * {@code maxConcurrent} wait; every further resolution fails in microseconds with a retryable
 * {@link DidHostUnavailableException}, and cached DIDs are not affected at all (put this behind
 * {@link CachingDidResolver}, whose single flight already makes one fetch per DID).
 *
 * <p>Cost: one non-blocking {@link Semaphore#tryAcquire()} and release per fetch, that is per cache
 * miss, never per cache hit.
 */
public final class ConcurrencyLimitedResolver implements DidResolver {

  /** The default cap on concurrent fetches. */
  public static final int DEFAULT_MAX_CONCURRENT = 64;

  private final DidResolver delegate;
  private final int maxConcurrent;
  private final Semaphore permits;
  private final LongAdder refused = new LongAdder();

  /**
   * Wraps a resolver.
   *
   * @param delegate the resolver that fetches
   * @param maxConcurrent at least 1
   */
  public ConcurrencyLimitedResolver(DidResolver delegate, int maxConcurrent) {
    if (maxConcurrent < 1) {
      throw new IllegalArgumentException("maxConcurrent must be at least 1");
    }
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.maxConcurrent = maxConcurrent;
    this.permits = new Semaphore(maxConcurrent);
  }

  @Override
  public DidDocument resolve(Did did, boolean forceRefresh) throws DidResolutionException {
    if (!permits.tryAcquire()) {
      refused.increment();
      throw new DidHostUnavailableException(
          "Too many DID documents are being fetched at once (" + maxConcurrent + ")", true);
    }
    try {
      return delegate.resolve(did, forceRefresh);
    } finally {
      permits.release();
    }
  }

  /**
   * How many resolutions are running now.
   *
   * @return between 0 and the cap
   */
  public int inProgress() {
    return maxConcurrent - permits.availablePermits();
  }

  /**
   * How many resolutions were refused because the cap was reached.
   *
   * @return the count since creation
   */
  public long refused() {
    return refused.sum();
  }
}
