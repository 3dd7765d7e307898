package dev.atpkeyserver.did;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What WireMock cannot serve: a body that never ends. The JDK's own HTTP server streams one, so the
 * test shows the fetcher stops reading near the cap instead of buffering.
 */
class DocumentFetcherTest {

  private static final long ENDLESS = 256L * 1024 * 1024;

  private HttpServer server;
  private final AtomicLong written = new AtomicLong();
  private final CountDownLatch serverStopped = new CountDownLatch(1);

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/endless",
        exchange -> {
          byte[] chunk = new byte[8 * 1024];
          Arrays.fill(chunk, (byte) ' ');
          exchange.sendResponseHeaders(200, 0); // 0 = chunked, no Content-Length
          try (OutputStream body = exchange.getResponseBody()) {
            body.write('{');
            while (written.get() < ENDLESS) {
              body.write(chunk);
              written.addAndGet(chunk.length);
            }
          } catch (IOException e) {
            // The client hung up, which is what the test wants.
          } finally {
            serverStopped.countDown();
          }
        });
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  @Test
  void stopsReadingAnEndlessBodyShortlyAfterTheCap() throws InterruptedException {
    ResolverOptions options =
        ResolverOptions.builder()
            .maxDocumentBytes(64 * 1024)
            .timeout(Duration.ofSeconds(10))
            .build();
    DocumentFetcher fetcher = new DocumentFetcher(options);
    URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/endless");

    assertThrows(
        MalformedDidDocumentException.class,
        () -> fetcher.get(uri, options.timeout(), "test host"));

    assertThat(serverStopped.await(5, TimeUnit.SECONDS), is(true));
    // Socket buffers hold a few MiB at most; without the cap it would have been 256 MiB.
    assertThat(written.get(), lessThan(16L * 1024 * 1024));
  }
}
