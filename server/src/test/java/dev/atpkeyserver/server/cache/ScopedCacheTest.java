package dev.atpkeyserver.server.cache;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class ScopedCacheTest {

  private final AtomicInteger loads = new AtomicInteger();

  private Supplier<Optional<String>> loading(String value) {
    return () -> {
      loads.incrementAndGet();
      return Optional.ofNullable(value);
    };
  }

  @Test
  void servesALoadedValueWithoutLoadingAgain() {
    ScopedCache<Integer, String> cache = new ScopedCache<>(10, true);

    assertThat(cache.get("alice", 1, loading("v1")), equalTo(Optional.of("v1")));
    assertThat(cache.get("alice", 1, loading("other")), equalTo(Optional.of("v1")));

    assertThat(loads.get(), equalTo(1));
  }

  @Test
  void neverRemembersAbsence() {
    ScopedCache<Integer, String> cache = new ScopedCache<>(10, true);

    cache.get("alice", 1, loading(null));
    assertThat(cache.get("alice", 1, loading("created")), equalTo(Optional.of("created")));

    assertThat(loads.get(), equalTo(2));
  }

  @Test
  void aValueLoadedAcrossAnInvalidationIsNotKept() {
    ScopedCache<Integer, String> cache = new ScopedCache<>(10, true);

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
    ScopedCache<Integer, String> cache = new ScopedCache<>(10, true);

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
    ScopedCache<Integer, String> cache = new ScopedCache<>(10, true);
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
    ScopedCache<Integer, String> cache = new ScopedCache<>(10, true);
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
    ScopedCache<Integer, String> cache = new ScopedCache<>(10, false);

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
  void staysWithinItsBound() {
    ScopedCache<Integer, String> cache = new ScopedCache<>(64, true);

    for (int i = 0; i < 1_000; i++) {
      cache.get("user" + i, 0, loading("v"));
      assertThat(cache.size(), lessThanOrEqualTo(64));
    }
    // Recent entries are still served after evictions.
    loads.set(0);
    cache.get("user999", 0, loading("v"));
    assertThat(loads.get(), equalTo(0));
  }

  @Test
  void keepsABoundedNumberOfKeysPerScope() {
    ScopedCache<Integer, String> cache = new ScopedCache<>(10, true);
    for (int version = 1; version <= ScopedCache.MAX_KEYS_PER_SCOPE + 5; version++) {
      cache.get("alice", version, loading("v" + version));
    }
    loads.set(0);

    cache.get("alice", 1, loading("again"));
    cache.get("alice", ScopedCache.MAX_KEYS_PER_SCOPE + 5, loading("v-last"));

    assertThat(loads.get(), equalTo(1));
  }
}
