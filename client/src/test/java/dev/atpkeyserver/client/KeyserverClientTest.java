package dev.atpkeyserver.client;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.atpkeyserver.lexicon.alpha.accessLogs.GetLogs;
import dev.atpkeyserver.lexicon.alpha.group.GetKey;
import dev.atpkeyserver.lexicon.alpha.keypair.ListVersions;
import dev.atpkeyserver.lexicon.alpha.keypair.Rotate;
import dev.atpkeyserver.lexicon.client.KeyserverClient;
import dev.atpkeyserver.xrpc.client.XrpcClient;
import dev.atpkeyserver.xrpc.client.XrpcClientException;
import jakarta.json.Json;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The generated {@link KeyserverClient} over real HTTP (the JDK's server on a free port) against a
 * stand-in keyserver answering the contract's example bodies, and a stand-in PDS: the two ways to
 * authenticate that docs/clients.md shows, written here as an app would write them. The server's
 * own API tests run the same client against the real keyserver.
 */
class KeyserverClientTest {

  private static final String KEYSERVER_DID = "did:web:keyserver.example.com";
  private static final String GROUP = "did:plc:abc123#followers";

  /** The contract's example answers (docs/api.md), by NSID. */
  private static final Map<String, String> EXAMPLES =
      Map.of(
          GetKey.NSID,
          "{\"groupId\":\"did:plc:abc123#followers\",\"secretKey\":\""
              + "ab".repeat(32)
              + "\","
              + "\"version\":2}",
          Rotate.NSID,
          "{\"oldVersion\":1,\"newVersion\":2,\"rotatedAt\":\"2025-01-24T10:30:00.000Z\"}",
          ListVersions.NSID,
          "{\"versions\":[{\"version\":2,\"status\":\"active\","
              + "\"created_at\":\"2025-01-24T10:30:00.000Z\",\"revoked_at\":null},"
              + "{\"version\":1,\"status\":\"revoked\",\"created_at\":\"2025-01-20T08:00:00.000Z\","
              + "\"revoked_at\":\"2025-01-24T10:30:00.000Z\"}]}",
          GetLogs.NSID,
          "{\"logs\":[{\"version\":2,\"accessed_at\":\"2025-01-24T10:30:00.000Z\","
              + "\"ip\":\"192.0.2.1\",\"user_agent\":\"Mozilla/5.0\"}],"
              + "\"cursor\":\"AQEAAAAAZ5CpBAAAAAAAAAAAAAAE0vLDQBM\"}");

  private HttpServer keyserver;
  private HttpServer pds;

  /** What the stand-in keyserver was asked: method, path and query, and the caller it saw. */
  private final List<String> keyserverSaw = new CopyOnWriteArrayList<>();

  /** What the stand-in PDS was asked: getServiceAuth's aud and lxm, or the proxied path. */
  private final List<String> pdsSaw = new CopyOnWriteArrayList<>();

  /** Service tokens the PDS minted, by token, as "aud lxm". */
  private final Map<String, String> minted = new ConcurrentHashMap<>();

  @BeforeEach
  void start() throws IOException {
    keyserver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    keyserver.createContext("/xrpc/", this::keyserver);
    keyserver.start();
    pds = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    pds.createContext("/xrpc/", this::pds);
    pds.start();
  }

  @AfterEach
  void stop() {
    keyserver.stop(0);
    pds.stop(0);
  }

  private URI keyserverUrl() {
    return URI.create("http://127.0.0.1:" + keyserver.getAddress().getPort());
  }

  private URI pdsUrl() {
    return URI.create("http://127.0.0.1:" + pds.getAddress().getPort());
  }

  /** The keyserver: checks the service token was minted for this method and audience. */
  private void keyserver(HttpExchange exchange) throws IOException {
    String nsid = exchange.getRequestURI().getPath().substring("/xrpc/".length());
    String token =
        Optional.ofNullable(exchange.getRequestHeaders().getFirst("Authorization"))
            .map(h -> h.substring("Bearer ".length()))
            .orElse("");
    String claims = minted.getOrDefault(token, "");
    keyserverSaw.add(
        exchange.getRequestMethod()
            + " "
            + exchange.getRequestURI().getRawPath()
            + "?"
            + exchange.getRequestURI().getRawQuery()
            + " "
            + claims);
    boolean audienceOk =
        claims.startsWith(KEYSERVER_DID + " ")
            || claims.startsWith(KEYSERVER_DID + "#atp_keyserver ");
    if (!audienceOk || !claims.endsWith(" " + nsid)) {
      send(
          exchange,
          401,
          "{\"error\":\"Unauthorized\",\"message\":\"Invalid or expired service auth token\"}");
    } else if (nsid.equals("dev.atpkeyserver.alpha.group.getKey")
        && exchange.getRequestURI().getRawQuery().contains("version=9")) {
      send(exchange, 404, "{\"error\":\"Not Found\",\"message\":\"Key version not found\"}");
    } else {
      send(exchange, 200, EXAMPLES.get(nsid));
    }
  }

  /**
   * The PDS: {@code getServiceAuth} mints a token for the signed-in user; a call with {@code
   * atproto-proxy} is forwarded to the keyserver with a token it mints itself (audience: the
   * service reference), as a real PDS does.
   */
  private void pds(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    if (!"Bearer alice-access-jwt".equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
      send(exchange, 401, "{\"error\":\"ExpiredToken\",\"message\":\"Token has expired\"}");
      return;
    }
    if (path.equals("/xrpc/com.atproto.server.getServiceAuth")) {
      Map<String, String> query = decode(exchange.getRequestURI().getRawQuery());
      pdsSaw.add("getServiceAuth " + query.get("aud") + " " + query.get("lxm"));
      String token = "jwt-" + minted.size();
      minted.put(token, query.get("aud") + " " + query.get("lxm"));
      send(exchange, 200, "{\"token\":\"" + token + "\"}");
      return;
    }
    String proxy = exchange.getRequestHeaders().getFirst("atproto-proxy");
    String nsid = path.substring("/xrpc/".length());
    pdsSaw.add("proxy " + proxy + " " + nsid);
    String token = "jwt-" + minted.size();
    minted.put(token, proxy + " " + nsid);
    HttpRequest.Builder forward =
        HttpRequest.newBuilder(
                URI.create(
                    keyserverUrl()
                        + exchange.getRequestURI().getRawPath()
                        + Optional.ofNullable(exchange.getRequestURI().getRawQuery())
                            .map(q -> "?" + q)
                            .orElse("")))
            .header("Authorization", "Bearer " + token);
    byte[] body = exchange.getRequestBody().readAllBytes();
    forward.method(
        exchange.getRequestMethod(),
        body.length == 0
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body));
    try {
      HttpResponse<String> answer =
          HttpClient.newHttpClient().send(forward.build(), HttpResponse.BodyHandlers.ofString());
      send(exchange, answer.statusCode(), answer.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  /**
   * How docs/clients.md has an app get a service token: {@code com.atproto.server.getServiceAuth}
   * on the user's PDS with the session's access token.
   */
  private static String getServiceAuth(URI pds, String accessJwt, String aud, String lxm) {
    URI uri =
        pds.resolve(
            "/xrpc/com.atproto.server.getServiceAuth?aud="
                + URLEncoder.encode(aud, StandardCharsets.UTF_8)
                + "&lxm="
                + URLEncoder.encode(lxm, StandardCharsets.UTF_8));
    try {
      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(uri)
                      .header("Authorization", "Bearer " + accessJwt)
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException("getServiceAuth: " + response.statusCode());
      }
      try (var reader = Json.createReader(new StringReader(response.body()))) {
        return reader.readObject().getString("token");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Test
  void withAServiceTokenPerCallStraightToTheKeyserver() {
    KeyserverClient keyserver =
        new KeyserverClient(
            XrpcClient.builder(keyserverUrl())
                .serviceAuth(
                    lxm -> getServiceAuth(pdsUrl(), "alice-access-jwt", KEYSERVER_DID, lxm))
                .userAgent("example-app/1.0")
                .build());

    GetKey.Output key = keyserver.groupGetKey(new GetKey.Params(GROUP, Optional.empty()));
    Rotate.Output rotation = keyserver.keypairRotate(new Rotate.Input("routine_rotation"));

    assertThat(key.groupId(), is(GROUP));
    assertThat(key.secretKey(), is("ab".repeat(32)));
    assertThat(key.version(), is(2L));
    assertThat(rotation.rotatedAt(), is(Instant.parse("2025-01-24T10:30:00Z")));
    assertThat(
        pdsSaw,
        contains(
            "getServiceAuth " + KEYSERVER_DID + " " + GetKey.NSID,
            "getServiceAuth " + KEYSERVER_DID + " " + Rotate.NSID));
    assertThat(
        keyserverSaw,
        contains(
            "GET /xrpc/"
                + GetKey.NSID
                + "?group_id=did%3Aplc%3Aabc123%23followers "
                + KEYSERVER_DID
                + " "
                + GetKey.NSID,
            "POST /xrpc/" + Rotate.NSID + "?null " + KEYSERVER_DID + " " + Rotate.NSID));
  }

  @Test
  void throughTheUsersPdsWithAtprotoProxy() {
    KeyserverClient keyserver =
        new KeyserverClient(
            XrpcClient.builder(pdsUrl())
                .accessToken(() -> "alice-access-jwt")
                .atprotoProxy(KEYSERVER_DID, "atp_keyserver")
                .build());

    ListVersions.Output versions =
        keyserver.keypairListVersions(new ListVersions.Params(Optional.empty(), Optional.empty()));
    GetLogs.Output logs = keyserver.accessLogsGetLogs(new GetLogs.Params(50, Optional.empty()));

    assertThat(versions.versions().get(0).revokedAt(), is(Optional.empty()));
    assertThat(
        versions.versions().get(1).revokedAt(),
        is(Optional.of(Instant.parse("2025-01-24T10:30:00Z"))));
    assertThat(logs.logs().get(0).ip(), is(Optional.of("192.0.2.1")));
    assertThat(logs.cursor(), is(Optional.of("AQEAAAAAZ5CpBAAAAAAAAAAAAAAE0vLDQBM")));
    assertThat(
        pdsSaw,
        contains(
            "proxy " + KEYSERVER_DID + "#atp_keyserver " + ListVersions.NSID,
            "proxy " + KEYSERVER_DID + "#atp_keyserver " + GetLogs.NSID));
    assertThat(
        keyserverSaw.get(1).startsWith("GET /xrpc/" + GetLogs.NSID + "?limit=50 "), is(true));
  }

  @Test
  void errorsFromTheKeyserverAndFromThePdsAreTheSameException() {
    KeyserverClient direct =
        new KeyserverClient(
            XrpcClient.builder(keyserverUrl())
                .serviceAuth(
                    lxm -> getServiceAuth(pdsUrl(), "alice-access-jwt", KEYSERVER_DID, lxm))
                .build());
    XrpcClientException notFound =
        assertThrows(
            XrpcClientException.class,
            () -> direct.groupGetKey(new GetKey.Params(GROUP, Optional.of(9L))));
    assertThat(notFound.status(), is(404));
    assertThat(notFound.error(), is("Not Found"));
    assertThat(notFound.errorMessage(), is(Optional.of("Key version not found")));

    KeyserverClient expired =
        new KeyserverClient(
            XrpcClient.builder(pdsUrl())
                .accessToken(() -> "stale-access-jwt")
                .atprotoProxy(KEYSERVER_DID, "atp_keyserver")
                .timeout(Duration.ofSeconds(5))
                .build());
    XrpcClientException refused =
        assertThrows(
            XrpcClientException.class,
            () -> expired.keypairRotate(new Rotate.Input("user_requested")));
    assertThat(refused.status(), is(401));
    assertThat(refused.error(), is("ExpiredToken"));
    assertThat(keyserverSaw.size(), is(1));
  }

  private static Map<String, String> decode(String rawQuery) {
    Map<String, String> values = new ConcurrentHashMap<>();
    for (String pair : rawQuery.split("&", -1)) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      values.put(
          pair.substring(0, eq),
          java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return values;
  }

  private static void send(HttpExchange exchange, int status, String json) throws IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }
}
