package dev.atpkeyserver.server.observe;

import static dev.atpkeyserver.server.testing.Inputs.activeKeypair;
import static dev.atpkeyserver.server.testing.RegexMatcher.matchesPattern;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import dev.atpkeyserver.lexicon.alpha.keypair.GetKeypair;
import dev.atpkeyserver.lexicon.alpha.keypair.GetPublicKey;
import dev.atpkeyserver.server.testing.EachDatabase;
import dev.atpkeyserver.server.testing.KeyserverExtension;
import dev.atpkeyserver.server.testing.TestDatabase;
import dev.atpkeyserver.server.testing.TestServer;
import dev.atpkeyserver.server.testing.TestUser;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every answered request gets an id, sent back and logged on one line without secrets. */
class RequestLogTest {

  private static final String ID = "[0-9a-f]{16}";
  private static final String GET_PUBLIC_KEY = GetPublicKey.NSID;

  @RegisterExtension static final KeyserverExtension keyserver = new KeyserverExtension();

  private final Logger logger = Logger.getLogger(RequestLog.LOGGER);
  private final Queue<String> lines = new ConcurrentLinkedQueue<>();
  private final Handler capture =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          lines.add(record.getMessage());
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  @BeforeEach
  void captureTheRequestLog() {
    logger.setLevel(Level.INFO);
    logger.addHandler(capture);
  }

  @AfterEach
  void stopCapturing() {
    logger.removeHandler(capture);
  }

  @EachDatabase
  void logsOneLineWithTheResponsesIdAndNoSecrets(TestDatabase db) throws InterruptedException {
    // About the X-Request-Id header of a success, which typed calls do not show: raw.
    TestServer server = keyserver.on(db);
    TestUser user = keyserver.newUser();
    server.as(user).keypairGetKeypair(activeKeypair());
    String token = user.token(server.serviceDid(), GET_PUBLIC_KEY);

    HttpResponse<String> response =
        server.get(
            "/xrpc/"
                + GET_PUBLIC_KEY
                + "?did="
                + URLEncoder.encode(user.did(), StandardCharsets.UTF_8),
            "Authorization",
            "Bearer " + token);

    assertThat(response.statusCode(), equalTo(200));
    String id = requestId(response);
    String line = awaitLine(id);
    assertThat(
        line,
        equalTo("id=" + id + " method=GET route=" + GET_PUBLIC_KEY + " status=200 ms=" + ms(line)));
    for (String secret : List.of(token, user.did(), "?", "did=", "Bearer")) {
      assertThat(line, not(containsString(secret)));
    }
  }

  @EachDatabase
  void errorsCarryTheIdToo(TestDatabase db) throws InterruptedException {
    TestServer server = keyserver.on(db);
    List<HttpResponse<String>> errors =
        List.of(
            server.get("/nothing/here"),
            server.get("/xrpc/" + GetKeypair.NSID),
            server.get("/xrpc/" + GET_PUBLIC_KEY),
            server.get("/xrpc/com.example.unknown"),
            server.postJson("/xrpc/" + GET_PUBLIC_KEY, "{}"));

    assertThat(
        errors.stream().map(HttpResponse::statusCode).toList(), contains(404, 401, 400, 501, 400));
    for (HttpResponse<String> error : errors) {
      String id = requestId(error);
      assertThat(awaitLine(id), matchesPattern("id=" + id + " method=(GET|POST) route=.*"));
    }
    assertThat(awaitLine(requestId(errors.get(3))), matchesPattern(".* route=xrpc_unknown .*"));
  }

  @Test
  void ignoresAClientSentRequestId() throws InterruptedException {
    HttpResponse<String> response =
        keyserver.on(TestDatabase.H2).get("/", "X-Request-Id", "0123456789abcdef");

    String id = requestId(response);
    assertThat(id, not(equalTo("0123456789abcdef")));
    assertThat(awaitLine(id), matchesPattern("id=" + id + " method=GET route=root status=200 .*"));
  }

  @Test
  void formatsMillisecondsWithThreeDecimals() {
    StringBuilder out = new StringBuilder();
    RequestLog.appendMillis(out, 1_234_567);
    out.append(' ');
    RequestLog.appendMillis(out, 5_000);
    out.append(' ');
    RequestLog.appendMillis(out, 12_034_000_000L);
    assertThat(out.toString(), equalTo("1.234 0.005 12034.000"));
  }

  private static String requestId(HttpResponse<String> response) {
    List<String> ids = response.headers().allValues("X-Request-Id");
    assertThat(ids.size(), equalTo(1));
    assertThat(ids.get(0), matchesPattern(ID));
    return ids.get(0);
  }

  /** The line is written once the response is sent, so it may trail the client by a moment. */
  private String awaitLine(String id) throws InterruptedException {
    for (int i = 0; i < 100; i++) {
      for (String line : lines) {
        if (line.startsWith("id=" + id + " ")) {
          return line;
        }
      }
      Thread.sleep(20);
    }
    throw new AssertionError("No request log line for " + id + " in " + lines);
  }

  private static String ms(String line) {
    return line.substring(line.indexOf(" ms=") + 4);
  }
}
