package dev.atpkeyserver.server.cache;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class ScopedCacheTest {

  private final AtomicInteger loads = new AtomicInteger();
  private final AtomicLong nanos = new AtomicLong();

  private ScopedCache<Integer, String> cache(int maxEntries, boolean enabled) {
    return new ScopedCache<>(maxEntries, Duration.ofMinutes(1), enabled, nanos::get);
  }

  private Supplier<Optional<String>> loading(String value) {
    return () -> {
      loads.incrementAndGet();
      return Optional.ofNullable(value);
    };
  }

  @Test
  void servesALoadedValueWithoutLoadingAgain() {
    ScopedCache<Integer, String> cache = cache(10, true);

    assertThat(cache.get("alice", 1, loading("v1")), equalTo(Optional.of("v1")));
    assertThat(cache.get("alice", 1, loading("other")), equalTo(Optional.of("v1")));

    assertThat(loads.get(), equalTo(1));
  }

  @Test
  void neverRemembersAbsence() {
    ScopedCache<Integer, String> cache = cache(10, true);

    cache.get("alice", 1, loading(null));
    assertThat(cache.get("alice", 1, loading("created")), equalTo(Optional.of("created")));

    assertThat(loads.get(), equalTo(2));
  }

  @Test
  void aValueLoadedAcrossAnInvalidationIsNotKept() {
    ScopedCache<Integer, String> cache = cache(10, true);

    // The write lands (and invalidates) while the read is still loading the old value.
    cache.get(
        "alice",
        0,
        () -> {
          cache.invalidate("alice");
          return Optional.of("stale");
        });

    assertThat(cache.get("alice", 0, loading("fresh")), equalTo(Optional.of("fresh")));
  }

  @Test
  void anInvalidationOfAnotherScopeAlsoStopsARacingLoadFromStaying() {
    // One generation for the whole cache: conservative, never wrong.
    ScopedCache<Integer, String> cache = cache(10, true);

    cache.get(
        "alice",
        0,
        () -> {
          cache.invalidate("bob");
          return Optional.of("v1");
        });

    assertThat(cache.size(), equalTo(0));
  }

  @Test
  void invalidatingAScopeDropsOnlyThatScope() {
    ScopedCache<Integer, String> cache = cache(10, true);
    cache.get("alice", 0, loading("a"));
    cache.get("alice", 2, loading("a2"));
    cache.get("bob", 0, loading("b"));

    cache.invalidate("alice");

    assertThat(cache.get("alice", 0, loading("a'")), equalTo(Optional.of("a'")));
    assertThat(cache.get("alice", 2, loading("a2'")), equalTo(Optional.of("a2'")));
    assertThat(cache.get("bob", 0, loading("b'")), equalTo(Optional.of("b")));
  }

  @Test
  void aDisabledCacheServesAndKeepsNothingAndComesBackEmpty() {
    ScopedCache<Integer, String> cache = cache(10, true);
    cache.get("alice", 0, loading("before"));

    cache.disable();
    assertThat(
        cache.get("alice", 0, loading("while-disabled")), equalTo(Optional.of("while-disabled")));
    assertThat(cache.size(), equalTo(0));

    cache.enable();
    assertThat(cache.get("alice", 0, loading("after")), equalTo(Optional.of("after")));
    assertThat(cache.get("alice", 0, loading("again")), equalTo(Optional.of("after")));
  }

  @Test
  void aLoadStartedWhileDisabledIsNotKeptAfterEnabling() {
    ScopedCache<Integer, String> cache = cache(10, false);

    cache.get(
        "alice",
        0,
        () -> {
          cache.enable();
          return Optional.of("read-while-deaf");
        });

    assertThat(cache.size(), equalTo(0));
  }

  @Test
  void staysWithinItsBoundOfEntries() {
    ScopedCache<Integer, String> cache = cache(64, true);

    for (int i = 0; i < 1_000; i++) {
      cache.get("user" + i, 0, loading("v"));
      cache.get("user" + i, 1, loading("v1"));
      assertThat(cache.entries(), lessThanOrEqualTo(64));
    }
    // Recent entries are still served after evictions.
    loads.set(0);
    cache.get("user999", 0, loading("v"));
    assertThat(loads.get(), equalTo(0));
  }

  @Test
  void keepsABoundedNumberOfKeysPerScope() {
    ScopedCache<Integer, String> cache = cache(1_000, true);
    for (int version = 1; version <= ScopedCache.MAX_KEYS_PER_SCOPE + 5; version++) {
      cache.get("alice", version, loading("v" + version));
    }
    loads.set(0);

    cache.get("alice", 1, loading("again"));
    cache.get("alice", ScopedCache.MAX_KEYS_PER_SCOPE + 5, loading("v-last"));

    assertThat(loads.get(), equalTo(1));
    assertThat(cache.entries(), equalTo(ScopedCache.MAX_KEYS_PER_SCOPE));
  }

  @Test
  void aValueIsReadAgainOnceItIsAMinuteOld() {
    // The bound on staleness should an invalidation never arrive.
    ScopedCache<Integer, String> cache = cache(10, true);
    cache.get("alice", 0, loading("v1"));
    nanos.addAndGet(Duration.ofSeconds(59).toNanos());
    assertThat(cache.get("alice", 0, loading("v2")), equalTo(Optional.of("v1")));

    nanos.addAndGet(Duration.ofSeconds(2).toNanos());

    assertThat(cache.get("alice", 0, loading("v2")), equalTo(Optional.of("v2")));
    assertThat(cache.get("alice", 0, loading("v3")), equalTo(Optional.of("v2")));
    assertThat(cache.entries(), equalTo(1));
  }

  @Test
  void invalidationsKeepTheEntryCountExact() {
    ScopedCache<Integer, String> cache = cache(100, true);
    cache.get("alice", 0, loading("a"));
    cache.get("alice", 1, loading("a1"));
    cache.get("bob", 0, loading("b"));
    assertThat(cache.entries(), equalTo(3));

    cache.invalidate("alice");
    assertThat(cache.entries(), equalTo(1));
    cache.invalidateAll();
    assertThat(cache.entries(), equalTo(0));
  }
}
