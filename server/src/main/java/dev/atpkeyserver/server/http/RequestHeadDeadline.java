package dev.atpkeyserver.server.http;

import io.helidon.http.DirectHandler;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.http.RequestException;
import io.helidon.http.Status;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http1.Http1ConnectionListener;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Bounds the time from a request line to the end of its headers: a connection still sending its
 * headers after the deadline is closed, however slowly it keeps sending (a slowloris client).
 * Helidon 4.1.7 bounds neither this nor the time between two bytes; its idle-connection timeout
 * covers a connection waiting for, or reading, a request line, but not one in the headers.
 *
 * <p>@NOTE Helidon calls a receive listener's {@code prologue} and {@code headers} on the
 * connection's own virtual thread, before routing. Between the two the thread is reading headers:
 * it is registered here with the time its request line ended, and a watchdog interrupts it once the
 * deadline has passed. Interrupting a virtual thread blocked on a socket closes the socket (JEP
 * 444), and Helidon then ends the connection quietly, as it does when its own idle timeout
 * interrupts a connection waiting for a request line. SlowClientsTest pins that behaviour.
 */
public final class RequestHeadDeadline implements Http1ConnectionListener, AutoCloseable {

  private final long deadlineNanos;
  private final Map<Thread, Long> readingHeaders = new ConcurrentHashMap<>();
  private final ScheduledExecutorService watchdog;
  private final ScheduledFuture<?> checks;

  private RequestHeadDeadline(Duration deadline) {
    this.deadlineNanos = deadline.toNanos();
    this.watchdog =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("request-head-deadline").daemon().factory());
    // Checked ten times per deadline: a head is cut off within 1.1 deadlines.
    long period = Math.max(10, deadline.toMillis() / 10);
    this.checks =
        watchdog.scheduleAtFixedRate(this::closeLateHeads, period, period, TimeUnit.MILLISECONDS);
  }

  /**
   * Starts the watchdog. Add the result to the HTTP/1 receive listeners, and close it after the
   * server stops.
   *
   * @param deadline the longest time from the end of a request line to the end of its headers
   */
  public static RequestHeadDeadline start(Duration deadline) {
    if (deadline.isNegative() || deadline.isZero()) {
      throw new IllegalArgumentException("The request head deadline must be positive: " + deadline);
    }
    return new RequestHeadDeadline(deadline);
  }

  @Override
  public void prologue(ConnectionContext ctx, HttpPrologue prologue) {
    readingHeaders.put(Thread.currentThread(), System.nanoTime());
  }

  @Override
  public void headers(ConnectionContext ctx, Headers headers) {
    if (readingHeaders.remove(Thread.currentThread()) == null) {
      // The watchdog gave up on this head just as it ended: its interrupt must not reach the
      // request, and the request is late anyway.
      Thread.interrupted();
      throw RequestException.builder()
          .type(DirectHandler.EventType.OTHER)
          .status(Status.REQUEST_TIMEOUT_408)
          .setKeepAlive(false)
          .message("Request headers too slow")
          .build();
    }
  }

  /** Closes the connections whose head has taken longer than the deadline. */
  private void closeLateHeads() {
    long now = System.nanoTime();
    readingHeaders.forEach(
        (thread, start) -> {
          // Removing first: only a thread still reading its head is interrupted.
          if (now - start > deadlineNanos && readingHeaders.remove(thread, start)) {
            thread.interrupt();
          }
        });
  }

  /** Stops the watchdog. */
  @Override
  public void close() {
    checks.cancel(false);
    watchdog.shutdownNow();
    readingHeaders.clear();
  }
}
