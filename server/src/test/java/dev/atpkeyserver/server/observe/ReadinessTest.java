package dev.atpkeyserver.server.observe;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.atpkeyserver.server.Keyserver;
import dev.atpkeyserver.server.config.KeyserverConfig;
import dev.atpkeyserver.server.testing.EachDatabase;
import dev.atpkeyserver.server.testing.KeyserverExtension;
import dev.atpkeyserver.server.testing.TestDatabase;
import dev.atpkeyserver.server.testing.TestServer;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Liveness is the process; readiness is the process and its database. */
class ReadinessTest {

  @RegisterExtension static final KeyserverExtension servers = new KeyserverExtension();

  @RegisterExtension static final KeyserverExtension closing = new KeyserverExtension();

  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  @EachDatabase
  void readyAndLiveWhileTheDatabaseAnswers(TestDatabase db) {
    TestServer server = servers.on(db);

    HttpResponse<String> ready = server.get("/observe/health/ready");
    HttpResponse<String> live = server.get("/observe/health/live");
    HttpResponse<String> all = server.get("/observe/health");

    assertThat(ready.statusCode(), equalTo(200));
    assertThat(ready.body(), containsString("{\"name\":\"database\",\"status\":\"UP\"}"));
    assertThat(live.statusCode(), equalTo(200));
    assertThat(all.statusCode(), equalTo(200));
  }

  @Test
  void notReadyOnceThePoolIsClosedButStillLive_H2() {
    TestServer server = closing.on(TestDatabase.H2);
    assertThat(server.get("/observe/health/ready").statusCode(), equalTo(200));

    server.database().close();

    HttpResponse<String> ready = server.get("/observe/health/ready");
    assertThat(ready.statusCode(), equalTo(503));
    assertThat(ready.body(), containsString("\"status\":\"DOWN\""));
    assertThat(server.get("/observe/health/live").statusCode(), equalTo(200));
  }

  @Test
  void notReadyWhilePostgresIsUnreachableAndReadyAgainWhenItReturns_POSTGRES() throws Exception {
    TestDatabase.Fresh fresh = TestDatabase.POSTGRES.create();
    Path dataDir = Files.createTempDirectory("keyserver-readiness");
    try (TcpProxy proxy = new TcpProxy(5432);
        Keyserver keyserver = start(fresh, proxy, dataDir)) {
      URI ready = URI.create("http://127.0.0.1:" + keyserver.port() + "/observe/health/ready");
      assertThat(get(ready).statusCode(), equalTo(200));

      proxy.cut();
      long start = System.nanoTime();
      HttpResponse<String> down = get(ready);
      long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();

      assertThat(down.statusCode(), equalTo(503));
      assertThat(down.body(), containsString("\"status\":\"DOWN\""));
      // Bounded by the readiness timeout, not by the pool's 5 s connection timeout.
      assertThat("took " + millis + " ms", millis < 4_000, equalTo(true));
      // The JDBC URL stays out of the answer.
      assertThat(down.body().contains("jdbc:"), equalTo(false));

      proxy.restore();
      assertThat(awaitStatus(ready, 200, Duration.ofSeconds(20)), equalTo(200));
    } finally {
      fresh.drop();
      try (var files = Files.walk(dataDir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static Keyserver start(TestDatabase.Fresh fresh, TcpProxy proxy, Path dataDir) {
    Map<String, String> values = new HashMap<>();
    values.put("server.port", "0");
    values.put("server.host", "127.0.0.1");
    values.put("keyserver.data-dir", dataDir.toString());
    values.put(
        "keyserver.db.url",
        fresh.settings().url().replace("127.0.0.1:5432", "127.0.0.1:" + proxy.port()));
    fresh.settings().username().ifPresent(user -> values.put("keyserver.db.username", user));
    Config config = Config.just(ConfigSources.create(values));
    return Keyserver.start(KeyserverConfig.from(config), config.get("server"));
  }

  private static int awaitStatus(URI uri, int wanted, Duration patience)
      throws InterruptedException {
    long deadline = System.nanoTime() + patience.toNanos();
    int status;
    do {
      status = get(uri).statusCode();
      if (status == wanted) {
        return status;
      }
      Thread.sleep(200);
    } while (System.nanoTime() < deadline);
    return status;
  }

  private static HttpResponse<String> get(URI uri) {
    try {
      return CLIENT.send(
          HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
