package dev.atpkeyserver.server;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThan;

import dev.atpkeyserver.server.testing.KeyserverExtension;
import dev.atpkeyserver.server.testing.SlowClients;
import dev.atpkeyserver.server.testing.SlowClients.Shape;
import dev.atpkeyserver.server.testing.TestDatabase;
import dev.atpkeyserver.server.testing.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Slow clients cannot hold connections: a connection still sending its headers {@link
 * Keyserver#REQUEST_HEAD_DEADLINE} after its request line, or idle or trickling a request line for
 * the idle timeout, is closed, quietly, while normal requests keep being served. The idle timeout
 * is set to 1 s here through Helidon's own key, which also shows that key overrides the default.
 * Loopback only, 20 connections per shape, all shapes at once; ends within about 15 s once the
 * server runs.
 */
class SlowClientsTest {

  private static final int CONNECTIONS = 20;
  private static final Duration TRICKLE = Duration.ofMillis(300);

  @RegisterExtension
  static final KeyserverExtension servers =
      new KeyserverExtension(
          Map.of(
              "keyserver.plc-url", "http://127.0.0.1:9",
              "server.idle-connection-timeout", "PT1S",
              "server.idle-connection-period", "PT0.2S"));

  @Test
  void slowHeadsAndIdleConnectionsAreClosedAndOthersServed() throws Exception {
    TestServer server = servers.on(TestDatabase.H2);
    int port = server.baseUri().getPort();
    Queue<LogRecord> warnings = new ConcurrentLinkedQueue<>();
    Handler capture = warningsInto(warnings);
    Logger root = Logger.getLogger("");
    root.addHandler(capture);
    try {
      Duration headDeadline = Keyserver.REQUEST_HEAD_DEADLINE;
      Duration window = headDeadline.plusSeconds(4);
      ExecutorService shapes = Executors.newVirtualThreadPerTaskExecutor();
      Future<SlowClients.Result> headers =
          shapes.submit(
              () -> SlowClients.run(port, Shape.SLOW_HEADERS, CONNECTIONS, TRICKLE, window));
      Future<SlowClients.Result> requestLine =
          shapes.submit(
              () -> SlowClients.run(port, Shape.SLOW_REQUEST_LINE, CONNECTIONS, TRICKLE, window));
      Future<SlowClients.Result> keepAlive =
          shapes.submit(
              () -> SlowClients.run(port, Shape.IDLE_KEEP_ALIVE, CONNECTIONS, TRICKLE, window));
      shapes.shutdown();

      // While they hold on, the server answers others.
      Thread.sleep(1_500);
      assertThat(server.get("/").statusCode(), equalTo(200));

      SlowClients.Result slowHeaders = headers.get();
      assertThat(slowHeaders.toString(), slowHeaders.stillOpen(), equalTo(0));
      assertThat(
          slowHeaders.toString(),
          slowHeaders.closedAfterMillis().getFirst(),
          greaterThanOrEqualTo(headDeadline.toMillis()));
      assertThat(
          slowHeaders.toString(),
          slowHeaders.maxClosedAfterMillis(),
          lessThan(headDeadline.toMillis() + 4_000));
      for (SlowClients.Result idle : List.of(requestLine.get(), keepAlive.get())) {
        assertThat(idle.toString(), idle.stillOpen(), equalTo(0));
        assertThat(idle.toString(), idle.maxClosedAfterMillis(), lessThan(4_000L));
      }
      assertThat(server.get("/").statusCode(), equalTo(200));
      assertThat(warnings.stream().map(LogRecord::getMessage).toList(), empty());
    } finally {
      root.removeHandler(capture);
    }
  }

  private static Handler warningsInto(Queue<LogRecord> warnings) {
    return new Handler() {
      @Override
      public void publish(LogRecord record) {
        if (record.getLevel().intValue() > Level.INFO.intValue()) {
          warnings.add(record);
        }
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
  }
}
