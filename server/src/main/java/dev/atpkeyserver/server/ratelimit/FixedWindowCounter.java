package dev.atpkeyserver.server.ratelimit;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts requests per key (a client address or a DID) in fixed windows aligned to the epoch, so
 * every key's window ends at the same instant ({@code X-RateLimit-Reset} is a round time, as in the
 * contract's example). A client can therefore send up to twice the limit across a window boundary;
 * that is the documented price of fixed windows.
 *
 * <p>Memory is bounded two ways. Counters live in one map per window: when the window ends, the
 * next request swaps in an empty map and the old one, with every expired counter, is garbage. And a
 * window holds at most {@code maxKeys} counters: once full, keys it has not seen share a single
 * overflow counter with the same limit, so a flood from many addresses or DIDs cannot grow memory
 * (and is throttled as one client rather than let through).
 *
 * <p>No lock is shared by all requests: the map is a {@link ConcurrentHashMap} (a known key is a
 * lock-free read), each key has its own atomic counter, and the window swap is one compare-and-set.
 */
final class FixedWindowCounter {

  private static final VarHandle CURRENT;

  static {
    try {
      CURRENT =
          MethodHandles.lookup().findVarHandle(FixedWindowCounter.class, "current", Window.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final int limit;
  private final long windowMillis;
  private final int maxKeys;
  private final Clock clock;

  private volatile Window current;

  FixedWindowCounter(RateLimit limit, int maxKeys, Clock clock) {
    if (maxKeys < 1) {
      throw new IllegalArgumentException("maxKeys must be at least 1");
    }
    this.limit = limit.requests();
    this.windowMillis = limit.window().toMillis();
    this.maxKeys = maxKeys;
    this.clock = clock;
    this.current = new Window(Long.MIN_VALUE, 0);
  }

  /** Counts one request for {@code key}, unless its window's budget is already spent. */
  Quota acquire(String key) {
    long now = clock.millis();
    Window window = window(now);
    AtomicInteger counter = window.counter(key, maxKeys);
    // A spent budget is not counted further: refused floods do not write the shared cache line.
    int used = counter.get();
    if (used < limit) {
      used = counter.incrementAndGet();
      if (used <= limit) {
        return quota(true, limit - used, window, now);
      }
    }
    return quota(false, 0, window, now);
  }

  /** What {@code key}'s budget is now, without counting a request. */
  Quota peek(String key) {
    long now = clock.millis();
    Window window = window(now);
    AtomicInteger counter = window.counts.get(key);
    int used = counter == null ? 0 : counter.get();
    return quota(used < limit, Math.max(0, limit - used), window, now);
  }

  /** Counters held in the current window (for tests of the memory bound). */
  int keysInWindow() {
    return current.counts.size();
  }

  private Quota quota(boolean allowed, int remaining, Window window, long now) {
    long retryAfter = Math.max(1, (window.endMillis - now + 999) / 1000);
    return new Quota(allowed, limit, remaining, window.endMillis / 1000, retryAfter);
  }

  private Window window(long now) {
    long index = Math.floorDiv(now, windowMillis);
    Window window = current;
    if (window.index >= index) {
      // The current window, or a clock that stepped back: keep counting in the newer window.
      return window;
    }
    Window next = new Window(index, (index + 1) * windowMillis);
    Window witness = (Window) CURRENT.compareAndExchange(this, window, next);
    return witness == window ? next : witness;
  }

  /** The counters of one window; dropped as a whole when the window ends. */
  private static final class Window {
    final long index;
    final long endMillis;
    final ConcurrentHashMap<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    final AtomicInteger overflow = new AtomicInteger();

    Window(long index, long endMillis) {
      this.index = index;
      this.endMillis = endMillis;
    }

    AtomicInteger counter(String key, int maxKeys) {
      AtomicInteger counter = counts.get(key);
      if (counter != null) {
        return counter;
      }
      if (counts.size() >= maxKeys) {
        return overflow;
      }
      return counts.computeIfAbsent(key, k -> new AtomicInteger());
    }
  }
}
