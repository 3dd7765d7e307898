package dev.atpkeyserver.server.ratelimit;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import dev.atpkeyserver.server.testing.KeyserverExtension;
import dev.atpkeyserver.server.testing.RawHttp;
import dev.atpkeyserver.server.testing.TestDatabase;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Paths under {@code /xrpc/} that name no method at all (empty, dots, slashes) go through the rate
 * limits like any unknown method: a contract 501 charged to the client address, then a 429, and
 * nothing logged above INFO.
 */
class XrpcPathShapesTest {

  private static final int PUBLIC_LIMIT = 3;
  private static final AtomicInteger addresses = new AtomicInteger();

  @RegisterExtension
  static final KeyserverExtension servers =
      new KeyserverExtension(
          Map.of(
              "keyserver.plc-url", "http://127.0.0.1:9",
              "keyserver.trusted-proxies", "127.0.0.1",
              "keyserver.rate-limit.enabled", "true",
              "keyserver.rate-limit.public.requests", String.valueOf(PUBLIC_LIMIT)));

  private final Logger root = Logger.getLogger("");
  private final Queue<LogRecord> warnings = new ConcurrentLinkedQueue<>();
  private final Handler capture =
      new Handler() {
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

  @BeforeEach
  void captureWarnings() {
    root.addHandler(capture);
  }

  @AfterEach
  void stopCapturing() {
    root.removeHandler(capture);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/xrpc/",
        "/xrpc/.",
        "/xrpc/./",
        "/xrpc/%2e",
        "/xrpc",
        "/xrpc//",
        "/xrpc/?x=1",
        "/xrpc/.?x=1",
        "/xrpc/a/b",
        "/xrpc/%C3%A9",
        "/xrpc/..%2F..%2F",
        "/xrpc/dev.atpkeyserver.alpha.keypair.getKeypair/x"
      })
  void aPathWithoutAMethodIsNotImplementedAndRateLimited(String path) {
    int port = servers.on(TestDatabase.H2).baseUri().getPort();
    warnings.clear(); // start-up warnings (a generated master key) are not this test's
    String ip = "198.51.100." + addresses.incrementAndGet();
    for (int i = 1; i <= PUBLIC_LIMIT; i++) {
      RawHttp.Response response = get(port, path, ip);
      assertError(path, response, 501, "Not Implemented");
      assertThat(path, response.header("X-RateLimit-Limit"), equalTo(opt(PUBLIC_LIMIT)));
      assertThat(path, response.header("X-RateLimit-Remaining"), equalTo(opt(PUBLIC_LIMIT - i)));
    }
    RawHttp.Response refused = get(port, path, ip);
    assertError(path, refused, 429, "Too Many Requests");
    assertThat(path, refused.header("Retry-After").isPresent(), is(true));
    assertThat(
        path + ": " + warnings.stream().map(LogRecord::getMessage).toList(),
        List.copyOf(warnings),
        empty());
  }

  private static java.util.Optional<String> opt(int value) {
    return java.util.Optional.of(String.valueOf(value));
  }

  private static RawHttp.Response get(int port, String path, String ip) {
    return RawHttp.send(
        port,
        "GET "
            + path
            + " HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: "
            + ip
            + "\r\nConnection: close\r\n\r\n");
  }

  private static void assertError(
      String path, RawHttp.Response response, int status, String error) {
    String what = path + " -> " + response.status() + " " + response.body();
    assertThat(what, response.status(), equalTo(status));
    assertThat(what, response.header("Content-Type").orElse(""), equalTo("application/json"));
    try (var reader = Json.createReader(new StringReader(response.body()))) {
      JsonObject body = reader.readObject();
      assertThat(what, body.getString("error"), equalTo(error));
    }
  }
}
