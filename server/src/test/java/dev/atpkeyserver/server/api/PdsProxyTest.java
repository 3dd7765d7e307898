package dev.atpkeyserver.server.api;

import static dev.atpkeyserver.server.testing.Inputs.activeKeypair;
import static dev.atpkeyserver.server.testing.Inputs.keypairVersion;
import static dev.atpkeyserver.server.testing.Inputs.rotation;
import static dev.atpkeyserver.server.testing.Responses.assertError;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.atpkeyserver.lexicon.alpha.keypair.GetKeypair;
import dev.atpkeyserver.lexicon.alpha.keypair.Rotate;
import dev.atpkeyserver.lexicon.client.KeyserverClient;
import dev.atpkeyserver.server.testing.KeyserverExtension;
import dev.atpkeyserver.server.testing.TestDatabase;
import dev.atpkeyserver.server.testing.TestServer;
import dev.atpkeyserver.server.testing.TestUser;
import dev.atpkeyserver.xrpc.client.XrpcClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The typed client's second way in, against the real keyserver: calls go to the user's PDS (a
 * stand-in here) with the session's access token and {@code atproto-proxy: <keyserver
 * DID>#atp_keyserver}; the PDS mints the service token (audience: that service reference, as the
 * reference PDS does) and forwards the call.
 */
class PdsProxyTest {

  private static final String ACCESS_JWT = "alice-access-jwt";

  @RegisterExtension static final KeyserverExtension keyserver = new KeyserverExtension();

  private final TestUser alice = keyserver.newUser();
  private final List<String> proxied = new CopyOnWriteArrayList<>();
  private TestServer server;
  private HttpServer pds;

  @BeforeEach
  void startPds() throws IOException {
    server = keyserver.on(TestDatabase.H2);
    pds = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    pds.createContext("/xrpc/", this::proxy);
    pds.start();
  }

  @AfterEach
  void stopPds() {
    pds.stop(0);
  }

  /** The PDS: checks the session, then forwards with a service token it signs for the user. */
  private void proxy(HttpExchange exchange) throws IOException {
    if (!("Bearer " + ACCESS_JWT).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
      send(exchange, 401, "{\"error\":\"ExpiredToken\",\"message\":\"Token has expired\"}");
      return;
    }
    String service = exchange.getRequestHeaders().getFirst("atproto-proxy");
    String nsid = exchange.getRequestURI().getPath().substring("/xrpc/".length());
    proxied.add(service + " " + nsid);
    String query = exchange.getRequestURI().getRawQuery();
    HttpRequest.Builder forward =
        HttpRequest.newBuilder(
                server.baseUri().resolve("/xrpc/" + nsid + (query == null ? "" : "?" + query)))
            .header("Authorization", "Bearer " + alice.token(service, nsid));
    byte[] body = exchange.getRequestBody().readAllBytes();
    if (exchange.getRequestMethod().equals("POST")) {
      forward
          .header("Content-Type", exchange.getRequestHeaders().getFirst("Content-Type"))
          .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    }
    try {
      HttpResponse<String> answer =
          HttpClient.newHttpClient().send(forward.build(), HttpResponse.BodyHandlers.ofString());
      send(exchange, answer.statusCode(), answer.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  private static void send(HttpExchange exchange, int status, String json) throws IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }

  private KeyserverClient throughPds(String accessJwt) {
    return new KeyserverClient(
        XrpcClient.builder(URI.create("http://127.0.0.1:" + pds.getAddress().getPort()))
            .accessToken(() -> accessJwt)
            .atprotoProxy(server.serviceDid(), "atp_keyserver")
            .strict()
            .build());
  }

  @Test
  void callsTheKeyserverThroughThePdsWithTheProxyHeader() {
    KeyserverClient viaPds = throughPds(ACCESS_JWT);

    GetKeypair.Output first = viaPds.keypairGetKeypair(activeKeypair());
    Rotate.Output rotation = viaPds.keypairRotate(rotation());

    assertThat(rotation.newVersion(), equalTo(2L));
    // The same user as a direct call: the keyserver saw Alice's DID either way.
    assertThat(server.as(alice).keypairGetKeypair(keypairVersion(1)), equalTo(first));
    assertThat(
        proxied,
        contains(
            KeyserverExtension.SERVICE_DID + "#atp_keyserver " + GetKeypair.NSID,
            KeyserverExtension.SERVICE_DID + "#atp_keyserver " + Rotate.NSID));
  }

  @Test
  void errorsOfTheKeyserverAndOfThePdsAreTheSameException() {
    assertError(
        () -> throughPds(ACCESS_JWT).keypairGetKeypair(keypairVersion(9)),
        404,
        "Not Found",
        "Key version not found");
    assertError(
        () -> throughPds("stale").keypairGetKeypair(activeKeypair()),
        401,
        "ExpiredToken",
        "Token has expired");
    // The stale session never got past the PDS.
    assertThat(proxied.size(), equalTo(1));
  }
}
