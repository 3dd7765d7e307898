package dev.atpkeyserver.did;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.sameInstance;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class CachingDidResolverTest {

  @RegisterExtension
  static WireMockExtension plc =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  private static final Did DID = TestDocuments.plcDid(100);

  private MutableClock clock;
  private PlcDidResolver delegate;

  @BeforeEach
  void setUp() {
    clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    delegate =
        new PlcDidResolver(ResolverOptions.builder().plcUrl(URI.create(plc.baseUrl())).build());
  }

  @Test
  void servesASecondResolveFromTheCache() throws DidResolutionException {
    serve(DID, TestDocuments.K256_DID_KEY);
    CachingDidResolver cache = cache().build();

    DidDocument first = cache.resolve(DID);
    clock.advance(Duration.ofMinutes(59));
    DidDocument second = cache.resolve(DID);

    assertThat(second, sameInstance(first));
    plc.verify(1, getRequestedFor(urlEqualTo(path(DID))));
    assertThat(cache.stats(), equalTo(new CachingDidResolver.Stats(1, 0, 1, 0, 0, 0, 1, 0, 0, 1)));
  }

  @Test
  void servesAStaleEntryAtOnceAndRefreshesItInTheBackground() throws Exception {
    serve(DID, TestDocuments.K256_DID_KEY);
    CachingDidResolver cache = cache().build();
    cache.resolve(DID);
    clock.advance(Duration.ofMinutes(61));
    plc.stubFor(
        get(path(DID))
            .willReturn(
                okJson(TestDocuments.documentWithDidKey(DID, TestDocuments.OTHER_K256_DID_KEY))
                    .withFixedDelay(300)));

    DidDocument stale = cache.resolve(DID);
    long staleHits = cache.stats().staleHits();

    assertThat(keyOf(stale), equalTo(TestDocuments.K256_DID_KEY));
    await(() -> cache.stats().fetches() == 2 && plc.getAllServeEvents().size() == 2);
    await(() -> keyOfQuietly(cache).equals(TestDocuments.OTHER_K256_DID_KEY));
    assertThat(cache.stats().backgroundRefreshes(), equalTo(1L));
    assertThat(staleHits, equalTo(1L));
  }

  @Test
  void keepsServingTheStaleEntryWhenTheBackgroundRefreshFails() throws Exception {
    serve(DID, TestDocuments.K256_DID_KEY);
    CachingDidResolver cache = cache().build();
    cache.resolve(DID);
    clock.advance(Duration.ofHours(2));
    plc.stubFor(get(path(DID)).willReturn(aResponse().withStatus(503)));

    assertThat(keyOf(cache.resolve(DID)), equalTo(TestDocuments.K256_DID_KEY));
    await(() -> cache.stats().fetchFailures() == 1);
    assertThat(keyOf(cache.resolve(DID)), equalTo(TestDocuments.K256_DID_KEY));

    // Past maxTtl the entry is gone and the failure reaches the caller.
    clock.advance(Duration.ofHours(23));
    await(() -> cache.stats().fetches() == cache.stats().fetchFailures() + 1);
    assertThrows(DidHostUnavailableException.class, () -> cache.resolve(DID));
  }

  @Test
  void dropsAnEntryPastMaxTtlAndFetchesBeforeAnswering() throws DidResolutionException {
    serve(DID, TestDocuments.K256_DID_KEY);
    CachingDidResolver cache = cache().build();
    cache.resolve(DID);
    clock.advance(Duration.ofHours(24).plusSeconds(1));
    serve(DID, TestDocuments.OTHER_K256_DID_KEY);

    DidDocument fresh = cache.resolve(DID);

    assertThat(keyOf(fresh), equalTo(TestDocuments.OTHER_K256_DID_KEY));
    assertThat(cache.stats().misses(), equalTo(2L));
    assertThat(cache.stats().backgroundRefreshes(), equalTo(0L));
    plc.verify(2, getRequestedFor(urlEqualTo(path(DID))));
  }

  @Test
  void firstForcedRefreshRightAfterAFetchFetchesTheRotatedKey() throws DidResolutionException {
    serve(DID, TestDocuments.K256_DID_KEY);
    CachingDidResolver cache = cache().build();
    cache.resolve(DID);
    // The user rotates their signing key a second after we fetched their document.
    clock.advance(Duration.ofSeconds(1));
    serve(DID, TestDocuments.OTHER_K256_DID_KEY);

    DidDocument refreshed = cache.resolve(DID, true);

    assertThat(keyOf(refreshed), equalTo(TestDocuments.OTHER_K256_DID_KEY));
    assertThat(keyOf(cache.resolve(DID)), equalTo(TestDocuments.OTHER_K256_DID_KEY));
    assertThat(cache.stats().forcedRefreshes(), equalTo(1L));
    plc.verify(2, getRequestedFor(urlEqualTo(path(DID))));
  }

  @Test
  void forcedRefreshesPastTheBurstReturnTheCachedDocument() throws DidResolutionException {
    serve(DID, TestDocuments.K256_DID_KEY);
    CachingDidResolver cache = cache().build();
    cache.resolve(DID);

    for (int i = 0; i < 20; i++) {
      clock.advance(Duration.ofMillis(400));
      cache.resolve(DID, true);
    }

    // The initial fetch and the burst of 3; the other 17 are answered from the cache.
    plc.verify(4, getRequestedFor(urlEqualTo(path(DID))));
    assertThat(cache.stats().forcedRefreshes(), equalTo(3L));
    assertThat(cache.stats().throttledForcedRefreshes(), equalTo(17L));
    // One fetch is earned back 10 s after the burst's first one (at 10.4 s), not before.
    serve(DID, TestDocuments.OTHER_K256_DID_KEY);
    clock.advance(Duration.ofSeconds(2));
    assertThat(keyOf(cache.resolve(DID, true)), equalTo(TestDocuments.K256_DID_KEY));
    clock.advance(Duration.ofSeconds(1));
    assertThat(keyOf(cache.resolve(DID, true)), equalTo(TestDocuments.OTHER_K256_DID_KEY));
  }

  @Test
  void aThousandForcedRefreshesOfOneDidFetchAtMostTheBudget() throws DidResolutionException {
    serve(DID, TestDocuments.K256_DID_KEY);
    CachingDidResolver cache = cache().build();
    cache.resolve(DID);

    // 1,000 bad tokens over 25 s: the burst of 3, then one per 10 s (at 10 s and 20 s).
    for (int i = 0; i < 1000; i++) {
      clock.advance(Duration.ofMillis(25));
      cache.resolve(DID, true);
    }

    assertThat(cache.stats().forcedRefreshes(), equalTo(5L));
    assertThat(cache.stats().throttledForcedRefreshes(), equalTo(995L));
    plc.verify(6, getRequestedFor(urlEqualTo(path(DID))));
  }

  @Test
  void theBudgetSurvivesTheRefetchesItPaysFor() throws DidResolutionException {
    serve(DID, TestDocuments.K256_DID_KEY);
    CachingDidResolver cache =
        cache().forcedRefreshBurst(1).minForcedRefreshInterval(Duration.ofSeconds(10)).build();
    cache.resolve(DID);

    cache.resolve(DID, true);
    cache.resolve(DID, true);

    // The forced fetch replaced the entry; a fresh entry must not bring a fresh budget.
    assertThat(cache.stats().forcedRefreshes(), equalTo(1L));
    assertThat(cache.stats().throttledForcedRefreshes(), equalTo(1L));
  }

  @Test
  void aZeroIntervalLetsEveryForcedRefreshFetch() throws DidResolutionException {
    serve(DID, TestDocuments.K256_DID_KEY);
    CachingDidResolver cache = cache().minForcedRefreshInterval(Duration.ZERO).build();
    cache.resolve(DID);

    for (int i = 0; i < 10; i++) {
      cache.resolve(DID, true);
    }

    assertThat(cache.stats().throttledForcedRefreshes(), equalTo(0L));
    plc.verify(11, getRequestedFor(urlEqualTo(path(DID))));
  }

  @Test
  void forcedRefreshOfAnUncachedDidFetches() throws DidResolutionException {
    serve(DID, TestDocuments.K256_DID_KEY);
    CachingDidResolver cache = cache().build();

    assertThat(keyOf(cache.resolve(DID, true)), equalTo(TestDocuments.K256_DID_KEY));
    assertThat(cache.stats().forcedRefreshes(), equalTo(1L));
    assertThat(cache.stats().size(), equalTo(1));
  }

  @Test
  void doesNotCacheFailures() throws DidResolutionException {
    plc.stubFor(get(path(DID)).willReturn(aResponse().withStatus(500)));
    CachingDidResolver cache = cache().build();

    assertThrows(DidHostUnavailableException.class, () -> cache.resolve(DID));
    serve(DID, TestDocuments.K256_DID_KEY);

    assertThat(keyOf(cache.resolve(DID)), equalTo(TestDocuments.K256_DID_KEY));
    assertThat(cache.stats().fetchFailures(), equalTo(1L));
    plc.verify(2, getRequestedFor(urlEqualTo(path(DID))));
  }

  @Test
  void remembersANotFoundDidForTheNegativeTtl() throws DidResolutionException {
    plc.stubFor(get(path(DID)).willReturn(aResponse().withStatus(404)));
    CachingDidResolver cache = cache().negativeTtl(Duration.ofMinutes(1)).build();

    DidNotFoundException first = assertThrows(DidNotFoundException.class, () -> cache.resolve(DID));
    for (int i = 0; i < 5; i++) {
      assertThat(
          assertThrows(DidNotFoundException.class, () -> cache.resolve(DID)), sameInstance(first));
      assertThat(
          assertThrows(DidNotFoundException.class, () -> cache.resolve(DID, true)),
          sameInstance(first));
    }
    plc.verify(1, getRequestedFor(urlEqualTo(path(DID))));

    // Past the negative TTL the DID is fetched again, and a success clears the memory.
    clock.advance(Duration.ofMinutes(1).plusSeconds(1));
    serve(DID, TestDocuments.K256_DID_KEY);
    assertThat(keyOf(cache.resolve(DID)), equalTo(TestDocuments.K256_DID_KEY));
    plc.verify(2, getRequestedFor(urlEqualTo(path(DID))));
  }

  @Test
  void remembersAMalformedDocumentButNotAnUnavailableHost() throws DidResolutionException {
    Did garbled = TestDocuments.plcDid(7);
    plc.stubFor(get(path(garbled)).willReturn(okJson("{\"id\": 5}")));
    plc.stubFor(get(path(DID)).willReturn(aResponse().withStatus(503)));
    CachingDidResolver cache = cache().negativeTtl(Duration.ofMinutes(1)).build();

    for (int i = 0; i < 3; i++) {
      assertThrows(MalformedDidDocumentException.class, () -> cache.resolve(garbled));
      assertThrows(DidHostUnavailableException.class, () -> cache.resolve(DID));
    }

    plc.verify(1, getRequestedFor(urlEqualTo(path(garbled))));
    plc.verify(3, getRequestedFor(urlEqualTo(path(DID))));
  }

  @Test
  void aCachedDocumentWinsOverARememberedFailureOfItsRefresh() throws Exception {
    serve(DID, TestDocuments.K256_DID_KEY);
    CachingDidResolver cache = cache().negativeTtl(Duration.ofMinutes(1)).build();
    cache.resolve(DID);
    clock.advance(Duration.ofHours(2));
    plc.stubFor(get(path(DID)).willReturn(okJson("not a document")));

    assertThat(keyOf(cache.resolve(DID)), equalTo(TestDocuments.K256_DID_KEY));
    await(() -> cache.stats().fetchFailures() == 1);

    assertThat(keyOf(cache.resolve(DID)), equalTo(TestDocuments.K256_DID_KEY));
    // That read started another refresh: let it end here, not in the next test's WireMock.
    await(() -> cache.stats().fetchFailures() == 2);
  }

  @Test
  void aRefreshThatFindsTheDidGoneRemovesTheEntry() throws DidResolutionException {
    serve(DID, TestDocuments.K256_DID_KEY);
    CachingDidResolver cache = cache().build();
    cache.resolve(DID);
    clock.advance(Duration.ofMinutes(1));
    plc.stubFor(get(path(DID)).willReturn(aResponse().withStatus(404)));

    assertThrows(DidNotFoundException.class, () -> cache.resolve(DID, true));

    assertThat(cache.stats().size(), equalTo(0));
    assertThrows(DidNotFoundException.class, () -> cache.resolve(DID));
    plc.verify(3, getRequestedFor(urlEqualTo(path(DID))));
  }

  @Test
  void evictsTheLeastRecentlyUsedEntryBeyondMaxEntries() throws DidResolutionException {
    Did a = TestDocuments.plcDid(1);
    Did b = TestDocuments.plcDid(2);
    Did c = TestDocuments.plcDid(3);
    for (Did did : List.of(a, b, c)) {
      serve(did, TestDocuments.K256_DID_KEY);
    }
    CachingDidResolver cache = cache().maxEntries(2).build();

    cache.resolve(a);
    cache.resolve(b);
    cache.resolve(a); // a is now more recent than b
    cache.resolve(c); // evicts b
    cache.resolve(a);
    cache.resolve(b);

    plc.verify(1, getRequestedFor(urlEqualTo(path(a))));
    plc.verify(2, getRequestedFor(urlEqualTo(path(b))));
    plc.verify(1, getRequestedFor(urlEqualTo(path(c))));
    assertThat(cache.stats().evictions(), equalTo(2L));
    assertThat(cache.stats().size(), equalTo(2));
  }

  @Test
  void concurrentResolvesOfOneDidShareOneFetch() throws Exception {
    plc.stubFor(get(path(DID)).willReturn(okJson(TestDocuments.document(DID)).withFixedDelay(500)));
    CachingDidResolver cache = cache().build();

    List<Object> results = runConcurrently(50, () -> cache.resolve(DID));

    plc.verify(1, getRequestedFor(urlEqualTo(path(DID))));
    assertThat(cache.stats().fetches(), equalTo(1L));
    assertThat(results, hasSize(50));
    assertThat(results, everyItem(sameInstance(results.get(0))));
    assertThat(results.get(0), instanceOf(DidDocument.class));
  }

  @Test
  void concurrentForcedRefreshesShareOneFetch() throws Exception {
    serve(DID, TestDocuments.K256_DID_KEY);
    CachingDidResolver cache = cache().build();
    cache.resolve(DID);
    clock.advance(Duration.ofMinutes(1));
    plc.stubFor(
        get(path(DID))
            .willReturn(
                okJson(TestDocuments.documentWithDidKey(DID, TestDocuments.OTHER_K256_DID_KEY))
                    .withFixedDelay(500)));

    List<Object> results = runConcurrently(20, () -> cache.resolve(DID, true));

    plc.verify(2, getRequestedFor(urlEqualTo(path(DID))));
    for (Object result : results) {
      assertThat(keyOf((DidDocument) result), equalTo(TestDocuments.OTHER_K256_DID_KEY));
    }
  }

  @Test
  void everyConcurrentCallerReceivesTheSharedFailure() throws Exception {
    plc.stubFor(get(path(DID)).willReturn(aResponse().withStatus(502).withFixedDelay(500)));
    CachingDidResolver cache = cache().build();

    List<Object> results = runConcurrently(10, () -> cache.resolve(DID));

    plc.verify(1, getRequestedFor(urlEqualTo(path(DID))));
    assertThat(results, everyItem(instanceOf(DidHostUnavailableException.class)));
    assertThat(cache.stats().size(), equalTo(0));
  }

  @Test
  void differentDidsAreFetchedIndependently() throws DidResolutionException {
    Did other = TestDocuments.plcDid(101);
    serve(DID, TestDocuments.K256_DID_KEY);
    serve(other, TestDocuments.OTHER_K256_DID_KEY);
    CachingDidResolver cache = cache().build();

    assertThat(keyOf(cache.resolve(DID)), equalTo(TestDocuments.K256_DID_KEY));
    assertThat(keyOf(cache.resolve(other)), equalTo(TestDocuments.OTHER_K256_DID_KEY));
    assertThat(plc.getAllServeEvents(), hasSize(2));
  }

  @Test
  void refusesInconsistentSettings() {
    assertThrows(
        IllegalArgumentException.class,
        () -> cache().staleTtl(Duration.ofHours(2)).maxTtl(Duration.ofHours(1)).build());
    assertThrows(IllegalArgumentException.class, () -> cache().staleTtl(Duration.ZERO).build());
    assertThrows(IllegalArgumentException.class, () -> cache().maxEntries(0).build());
    assertThrows(
        IllegalArgumentException.class,
        () -> cache().minForcedRefreshInterval(Duration.ofSeconds(-1)).build());
    assertThrows(IllegalArgumentException.class, () -> cache().forcedRefreshBurst(0).build());
    assertThrows(
        IllegalArgumentException.class, () -> cache().negativeTtl(Duration.ofSeconds(-1)).build());
  }

  @Test
  void defaultsMatchTheOfficialCache() {
    assertThat(CachingDidResolver.DEFAULT_STALE_TTL, equalTo(Duration.ofHours(1)));
    assertThat(CachingDidResolver.DEFAULT_MAX_TTL, equalTo(Duration.ofDays(1)));
    assertThat(new CachingDidResolver(delegate).stats().size(), equalTo(0));
  }

  private CachingDidResolver.Builder cache() {
    return CachingDidResolver.builder(delegate).clock(clock);
  }

  private static void serve(Did did, String didKey) {
    plc.stubFor(get(path(did)).willReturn(okJson(TestDocuments.documentWithDidKey(did, didKey))));
  }

  private static String path(Did did) {
    return "/" + did.toString().replace(":", "%3A");
  }

  private static String keyOf(DidDocument doc) {
    return doc.atprotoSigningKey().orElseThrow().toDidKey();
  }

  private String keyOfQuietly(CachingDidResolver cache) {
    try {
      return keyOf(cache.resolve(DID));
    } catch (DidResolutionException e) {
      return "";
    }
  }

  /** Polls for up to 5 s: background work has no completion signal to wait on. */
  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not reached within 5 s");
      }
      Thread.sleep(20);
    }
  }

  @FunctionalInterface
  private interface Call {
    DidDocument run() throws DidResolutionException;
  }

  /** Starts all calls together; returns each document or exception. */
  private static List<Object> runConcurrently(int count, Call call) throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Object>> futures = new ArrayList<>();
    try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < count; i++) {
        futures.add(
            executor.submit(
                () -> {
                  start.await();
                  try {
                    return call.run();
                  } catch (DidResolutionException e) {
                    return e;
                  }
                }));
      }
      start.countDown();
    }
    List<Object> results = new ArrayList<>();
    for (Future<Object> future : futures) {
      results.add(future.get());
    }
    return results;
  }
}
