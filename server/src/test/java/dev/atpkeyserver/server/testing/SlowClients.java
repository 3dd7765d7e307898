package dev.atpkeyserver.server.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Clients that hold connections open the way a slowloris attack does, on loopback, and measure how
 * long the server lets each one stay. Bounded: a given number of connections, each given up at a
 * given time, so a run always ends by itself.
 */
public final class SlowClients {

  /** How a client holds its connection. */
  public enum Shape {
    /** Connects and sends nothing. */
    SILENT("", ""),
    /** Sends a request line a byte at a time, never ending it. */
    SLOW_REQUEST_LINE("GET /", "a"),
    /** Sends a request line and then header bytes one at a time, never ending the head. */
    SLOW_HEADERS("GET / HTTP/1.1\r\nHost: x\r\n", "X-Slow: y\r\n"),
    /**
     * Sends one complete request, reads nothing, then stays silent on the kept-alive connection.
     */
    IDLE_KEEP_ALIVE("GET / HTTP/1.1\r\nHost: x\r\n\r\n", ""),
    /** Sends a complete head declaring a 64 KiB body, then the body a byte at a time. */
    SLOW_BODY(
        String.join(
            "\r\n",
            "POST /xrpc/dev.atpkeyserver.alpha.keypair.rotate HTTP/1.1",
            "Host: x",
            "Content-Type: application/json",
            "Content-Length: 65536",
            "",
            ""),
        " ");

    private final String opening;
    private final String trickle;

    Shape(String opening, String trickle) {
      this.opening = opening;
      this.trickle = trickle;
    }

    byte[] opening() {
      return opening.getBytes(StandardCharsets.ISO_8859_1);
    }

    byte[] trickle() {
      return trickle.getBytes(StandardCharsets.ISO_8859_1);
    }
  }

  /**
   * What one run found.
   *
   * @param shape how the clients behaved
   * @param connections how many connections were opened
   * @param closedAfterMillis for each connection the server closed, how long it had been open,
   *     sorted
   * @param stillOpen connections the server had not closed when the run gave up
   * @param window how long the run watched
   */
  public record Result(
      Shape shape, int connections, List<Long> closedAfterMillis, int stillOpen, Duration window) {

    /** The longest time the server let a connection it closed stay open, or -1 if none. */
    public long maxClosedAfterMillis() {
      return closedAfterMillis.isEmpty() ? -1 : closedAfterMillis.getLast();
    }

    @Override
    public String toString() {
      long median =
          closedAfterMillis.isEmpty() ? -1 : closedAfterMillis.get(closedAfterMillis.size() / 2);
      return shape
          + ": "
          + connections
          + " connections, "
          + stillOpen
          + " still open after "
          + window.toMillis()
          + " ms; closed ones after median "
          + median
          + " ms, max "
          + maxClosedAfterMillis()
          + " ms";
    }
  }

  private SlowClients() {}

  /**
   * Opens {@code connections} connections of one shape to {@code 127.0.0.1:port}, sends one trickle
   * byte per connection every {@code interval}, and watches them for at most {@code window}.
   */
  public static Result run(
      int port, Shape shape, int connections, Duration interval, Duration window)
      throws InterruptedException {
    List<Long> closed = Collections.synchronizedList(new ArrayList<>());
    long deadline = System.nanoTime() + window.toNanos();
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < connections; i++) {
        var unused = threads.submit(() -> hold(port, shape, interval, deadline, closed));
      }
      threads.shutdown();
      if (!threads.awaitTermination(window.toMillis() + 10_000, TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException("slow clients did not stop");
      }
    }
    List<Long> sorted = new ArrayList<>(closed);
    Collections.sort(sorted);
    return new Result(shape, connections, List.copyOf(sorted), connections - sorted.size(), window);
  }

  /** One client: holds its connection until the server closes it or the deadline passes. */
  private static Void hold(
      int port, Shape shape, Duration interval, long deadline, List<Long> closed)
      throws IOException {
    long start = System.nanoTime();
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout((int) Math.max(1, Math.min(200, interval.toMillis())));
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      out.write(shape.opening());
      byte[] trickle = shape.trickle();
      out.flush();
      long nextByte = System.nanoTime() + interval.toNanos();
      int sent = 0;
      byte[] buffer = new byte[4096];
      while (System.nanoTime() < deadline) {
        try {
          if (in.read(buffer) < 0) {
            closed.add((System.nanoTime() - start) / 1_000_000);
            return null;
          }
          // An answer (a 408, or the kept-alive request's 200): wait for the close.
        } catch (SocketTimeoutException e) {
          // Nothing from the server yet.
        } catch (IOException e) {
          closed.add((System.nanoTime() - start) / 1_000_000);
          return null;
        }
        if (trickle.length > 0 && System.nanoTime() >= nextByte) {
          try {
            out.write(trickle[sent++ % trickle.length]);
            out.flush();
          } catch (IOException e) {
            closed.add((System.nanoTime() - start) / 1_000_000);
            return null;
          }
          nextByte += interval.toNanos();
        }
      }
      return null;
    }
  }
}
