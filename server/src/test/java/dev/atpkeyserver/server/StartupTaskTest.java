package dev.atpkeyserver.server;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.sameInstance;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Start-up work on its own thread reports exactly what it would have on the caller's. */
class StartupTaskTest {

  @Test
  void joinReturnsTheResultComputedOnAnotherThread() {
    AtomicReference<String> thread = new AtomicReference<>();
    StartupTask<Integer> task =
        StartupTask.start(
            "answer",
            () -> {
              thread.set(Thread.currentThread().getName());
              return 42;
            });
    assertThat(task.join(), equalTo(42));
    assertThat(thread.get(), equalTo("keyserver-start-answer"));
  }

  @Test
  void joinRethrowsTheWorksOwnException() {
    IllegalStateException failure = new IllegalStateException("master key does not match");
    StartupTask<Object> task =
        StartupTask.start(
            "failing",
            () -> {
              throw failure;
            });
    assertThat(assertThrows(IllegalStateException.class, task::join), sameInstance(failure));
  }

  @Test
  void awaitQuietlyWaitsForTheEndAndSwallowsItsFailure() throws InterruptedException {
    CountDownLatch finished = new CountDownLatch(1);
    StartupTask<Object> task =
        StartupTask.start(
            "slow",
            () -> {
              try {
                Thread.sleep(50);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              finished.countDown();
              throw new IllegalStateException("ignored");
            });
    task.awaitQuietly();
    assertThat(finished.await(0, TimeUnit.SECONDS), equalTo(true));
  }
}
