package dev.atpkeyserver.did;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ConcurrencyLimitedResolverTest {

  private static final Did DID = TestDocuments.plcDid(1);

  @Test
  void refusesAtOnceWhileTheCapIsTakenAndRecoversWhenFetchesEnd() throws Exception {
    CountDownLatch entered = new CountDownLatch(3);
    CountDownLatch release = new CountDownLatch(1);
    DidDocument document =
        DidDocument.parse(DID, TestDocuments.document(DID).getBytes(StandardCharsets.UTF_8));
    ConcurrencyLimitedResolver limited =
        new ConcurrencyLimitedResolver(
            (did, force) -> {
              entered.countDown();
              try {
                release.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              return document;
            },
            3);

    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<DidDocument>> holders = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        holders.add(pool.submit(() -> limited.resolve(DID)));
      }
      assertThat(entered.await(5, TimeUnit.SECONDS), is(true));
      assertThat(limited.inProgress(), equalTo(3));

      long start = System.nanoTime();
      DidHostUnavailableException refused =
          assertThrows(DidHostUnavailableException.class, () -> limited.resolve(DID));
      assertThat(System.nanoTime() - start, lessThan(TimeUnit.MILLISECONDS.toNanos(100)));
      assertThat(refused.retryable(), is(true));
      assertThat(refused.getMessage(), containsString("Too many"));
      assertThat(limited.refused(), equalTo(1L));

      release.countDown();
      for (Future<DidDocument> holder : holders) {
        assertThat(holder.get(5, TimeUnit.SECONDS), is(document));
      }
    }
    assertThat(limited.inProgress(), equalTo(0));
    assertThat(limited.resolve(DID), is(document));
  }

  @Test
  void releasesThePermitWhenTheDelegateFails() {
    ConcurrencyLimitedResolver limited =
        new ConcurrencyLimitedResolver(
            (did, force) -> {
              throw new DidNotFoundException(did, 404);
            },
            1);

    for (int i = 0; i < 3; i++) {
      assertThrows(DidNotFoundException.class, () -> limited.resolve(DID));
    }
    assertThat(limited.inProgress(), equalTo(0));
    assertThat(limited.refused(), equalTo(0L));
  }

  @Test
  void refusesACapBelowOne() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new ConcurrencyLimitedResolver((did, force) -> null, 0));
  }
}
