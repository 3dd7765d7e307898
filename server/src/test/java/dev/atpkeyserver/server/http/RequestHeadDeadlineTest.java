package dev.atpkeyserver.server.http;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.helidon.http.HttpPrologue;
import io.helidon.http.Method;
import io.helidon.http.RequestException;
import io.helidon.http.Status;
import io.helidon.http.WritableHeaders;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The head deadline's watchdog, on the test's own thread standing in for a connection's. */
class RequestHeadDeadlineTest {

  private static final HttpPrologue PROLOGUE =
      HttpPrologue.create("HTTP/1.1", "HTTP", "1.1", Method.GET, "/", false);

  @Test
  void aHeadWithinTheDeadlineIsLeftAlone() throws InterruptedException {
    try (RequestHeadDeadline deadline = RequestHeadDeadline.start(Duration.ofSeconds(5))) {
      deadline.prologue(null, PROLOGUE);
      Thread.sleep(50);
      deadline.headers(null, WritableHeaders.create());
      assertThat(Thread.currentThread().isInterrupted(), equalTo(false));
    }
  }

  @Test
  void aLateHeadIsInterruptedAndItsInterruptNeverReachesTheRequest() {
    try (RequestHeadDeadline deadline = RequestHeadDeadline.start(Duration.ofMillis(50))) {
      deadline.prologue(null, PROLOGUE);
      long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      // A thread blocked on a socket would have its socket closed now; this one just notices.
      while (!Thread.currentThread().isInterrupted() && System.nanoTime() < until) {
        Thread.onSpinWait();
      }
      assertThat(
          "interrupted by the watchdog", Thread.currentThread().isInterrupted(), equalTo(true));

      // Had the head ended just then, the request is refused, without the interrupt.
      RequestException late =
          assertThrows(
              RequestException.class, () -> deadline.headers(null, WritableHeaders.create()));
      assertThat(late.status(), equalTo(Status.REQUEST_TIMEOUT_408));
      assertThat(Thread.currentThread().isInterrupted(), equalTo(false));
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void theDeadlineMustBePositive() {
    assertThrows(IllegalArgumentException.class, () -> RequestHeadDeadline.start(Duration.ZERO));
  }
}
