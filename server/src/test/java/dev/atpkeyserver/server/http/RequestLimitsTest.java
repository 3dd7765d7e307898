package dev.atpkeyserver.server.http;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThan;

import dev.atpkeyserver.lexicon.alpha.keypair.GetPublicKey;
import dev.atpkeyserver.server.testing.KeyserverExtension;
import dev.atpkeyserver.server.testing.RawHttp;
import dev.atpkeyserver.server.testing.TestDatabase;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Oversized request lines and headers are refused before routing, in the contract's format, and the
 * server closes the connection without reading the rest of the request.
 */
class RequestLimitsTest {

  private static final String PUBLIC_KEY = "/xrpc/" + GetPublicKey.NSID + "?did=";

  @RegisterExtension
  static final KeyserverExtension servers =
      new KeyserverExtension(Map.of("keyserver.plc-url", "http://127.0.0.1:9"));

  private static int port() {
    return servers.on(TestDatabase.H2).baseUri().getPort();
  }

  private static RawHttp.Response send(String request) {
    return RawHttp.send(port(), request);
  }

  @Test
  void aRequestLineOverTheLimitIsATooLongUriAndTheRestIsNotRead() {
    // No line end: the server must answer from the first 8 KiB, not wait for the rest.
    long start = System.nanoTime();
    RawHttp.Response response =
        RawHttp.sendUnfinished(port(), "GET " + PUBLIC_KEY + "a".repeat(200_000));
    assertRefused(response, 414, "URI Too Long", "Request line too long");
    assertThat(response.closed(), equalTo(true));
    assertThat((System.nanoTime() - start) / 1_000_000, lessThan(5_000L));
  }

  @Test
  void aRequestLineUnderTheLimitReachesTheHandler() {
    // A maximum-length DID, fully percent-encoded, still fits.
    String did = "%64".repeat(2048);
    RawHttp.Response response =
        send("GET " + PUBLIC_KEY + did + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assertRefused(response, 400, "Bad Request", "Invalid DID format in 'did'");
  }

  @Test
  void headersOverTheLimitAreTooLargeAndTheRestIsNotRead() {
    RawHttp.Response response =
        RawHttp.sendUnfinished(
            port(), "GET / HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + "a".repeat(1_000_000));
    assertRefused(response, 431, "Request Header Fields Too Large", "Request headers too large");
    assertThat(response.closed(), equalTo(true));
  }

  @Test
  void manySmallHeadersCountTowardsTheSameLimit() {
    StringBuilder request = new StringBuilder("GET / HTTP/1.1\r\nHost: x\r\n");
    for (int i = 0; i < 3_000; i++) {
      request.append("X-Header-").append(i).append(": v\r\n");
    }
    RawHttp.Response response = send(request.append("\r\n").toString());
    assertRefused(response, 431, "Request Header Fields Too Large", "Request headers too large");
  }

  @Test
  void headersUnderTheLimitAreServed() {
    RawHttp.Response response =
        send(
            "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Padding: "
                + "a".repeat(15_000)
                + "\r\n\r\n");
    assertThat(response.body(), response.status(), equalTo(200));
  }

  @Test
  void otherMalformedHeadersStayABadRequest() {
    RawHttp.Response response = send("GET / HTTP/1.1\r\nHost: x\r\nX-A: a\u0001b\r\n\r\n");
    assertRefused(response, 400, "Bad Request", "Malformed request");
  }

  private static void assertRefused(
      RawHttp.Response response, int status, String error, String message) {
    assertThat(response.body(), response.status(), equalTo(status));
    assertThat(response.header("Content-Type").orElse(""), equalTo("application/json"));
    try (var reader = Json.createReader(new StringReader(response.body()))) {
      JsonObject body = reader.readObject();
      assertThat(body.getString("error"), equalTo(error));
      assertThat(body.getString("message"), equalTo(message));
    }
  }
}
