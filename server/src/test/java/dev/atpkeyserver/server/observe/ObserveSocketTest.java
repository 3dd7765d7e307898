package dev.atpkeyserver.server.observe;

import static dev.atpkeyserver.server.testing.Responses.assertError;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import dev.atpkeyserver.server.testing.KeyserverExtension;
import dev.atpkeyserver.server.testing.TestDatabase;
import dev.atpkeyserver.server.testing.TestServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code /observe/*} can be moved to a socket of its own (an admin port on loopback) with Helidon's
 * {@code server.sockets} and {@code server.features.observe.sockets}: then the public port answers
 * 404 for it, and the admin port serves nothing else.
 */
class ObserveSocketTest {

  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @RegisterExtension
  static final KeyserverExtension adminSocket =
      new KeyserverExtension(
          Map.of(
              "server.sockets.0.name", "admin",
              "server.sockets.0.host", "127.0.0.1",
              "server.sockets.0.port", "0",
              "server.features.observe.sockets.0", "admin"));

  @Test
  void thePublicPortAnswers404ForObserve() {
    TestServer server = adminSocket.on(TestDatabase.H2);
    for (String path :
        new String[] {"/observe/health", "/observe/health/ready", "/observe/metrics", "/observe"}) {
      assertError(server.get(path), 404, "Not Found", "No such endpoint");
    }
    assertThat(server.get("/").statusCode(), equalTo(200));
  }

  @Test
  void theAdminPortServesHealthAndMetricsOnly() {
    TestServer server = adminSocket.on(TestDatabase.H2);
    URI admin = server.baseUri("admin");
    assertThat(admin.getPort(), not(equalTo(server.baseUri().getPort())));

    HttpResponse<String> ready = get(admin.resolve("/observe/health/ready"));
    assertThat(ready.statusCode(), equalTo(200));
    assertThat(ready.body(), containsString("{\"name\":\"database\",\"status\":\"UP\"}"));
    HttpResponse<String> metrics = get(admin.resolve("/observe/metrics"));
    assertThat(metrics.statusCode(), equalTo(200));
    assertThat(metrics.body(), containsString("keyserver_db_pool_max"));

    assertThat(get(admin.resolve("/")).statusCode(), equalTo(404));
    assertThat(
        get(admin.resolve("/xrpc/dev.atpkeyserver.alpha.keypair.getPublicKey?did=did%3Aplc%3Aa"))
            .statusCode(),
        equalTo(404));
  }

  private static HttpResponse<String> get(URI uri) {
    try {
      return CLIENT.send(
          HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
