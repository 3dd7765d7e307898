package dev.atpkeyserver.server.http;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import dev.atpkeyserver.server.testing.KeyserverExtension;
import dev.atpkeyserver.server.testing.RawHttp;
import dev.atpkeyserver.server.testing.TestDatabase;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A request whose body length is ambiguous (RFC 9112 §6.3) is refused with a 400 and its connection
 * closed, so bytes after the body a front proxy may have framed differently are never served as a
 * second request (request smuggling). Unambiguous framing keeps working, pipelined too.
 */
class RequestFramingTest {

  private static final String ROTATE = "/xrpc/dev.atpkeyserver.alpha.keypair.rotate";

  /** A complete request hidden after the first request's body. */
  private static final String SMUGGLED = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";

  @RegisterExtension
  static final KeyserverExtension servers =
      new KeyserverExtension(Map.of("keyserver.plc-url", "http://127.0.0.1:9"));

  private static int port() {
    return servers.on(TestDatabase.H2).baseUri().getPort();
  }

  /** A POST with the given framing headers and body, followed by {@link #SMUGGLED}. */
  private static String post(String framing, String body) {
    return "POST "
        + ROTATE
        + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        + framing
        + "\r\n"
        + body
        + SMUGGLED;
  }

  @Test
  void twoDifferentContentLengthsAreRefusedAndTheConnectionClosed() {
    assertRefusedAndClosed(post("Content-Length: 2\r\nContent-Length: 31\r\n", "{}"));
    assertRefusedAndClosed(post("Content-Length: 31\r\nContent-Length: 2\r\n", "{}"));
  }

  @Test
  void aRepeatedContentLengthIsRefusedToo() {
    // RFC 9110 §8.6 lets a recipient reject identical copies; one rule is easier to trust.
    assertRefusedAndClosed(post("Content-Length: 2\r\nContent-Length: 2\r\n", "{}"));
    assertRefusedAndClosed(post("Content-Length: 2, 2\r\n", "{}"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"+2", "-2", "0x2", "2.0", "2e0", "", "٢", "02 2", "100000000000000000000"})
  void aContentLengthThatIsNotDigitsIsRefused(String length) {
    assertRefusedAndClosed(post("Content-Length: " + length + "\r\n", "{}"));
  }

  @Test
  void contentLengthWithTransferEncodingIsRefused() {
    assertRefusedAndClosed(
        post("Content-Length: 2\r\nTransfer-Encoding: chunked\r\n", "2\r\n{}\r\n0\r\n\r\n"));
    assertRefusedAndClosed(
        post("Transfer-Encoding: chunked\r\nContent-Length: 40\r\n", "2\r\n{}\r\n0\r\n\r\n"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"chunked, identity", "identity", "gzip", "gzip, chunked", "xchunked", "chunked;x"})
  void aTransferEncodingOtherThanChunkedIsRefused(String codings) {
    assertRefusedAndClosed(post("Transfer-Encoding: " + codings + "\r\n", "2\r\n{}\r\n0\r\n\r\n"));
  }

  @Test
  void twoTransferEncodingFieldsAreRefused() {
    assertRefusedAndClosed(
        post(
            "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n",
            "2\r\n{}\r\n0\r\n\r\n"));
  }

  @Test
  void oneContentLengthFramesTheBodyAndTheNextRequestIsServed() {
    List<RawHttp.Response> responses =
        RawHttp.sendPipelined(port(), post("Content-Length: 2\r\n", "{}"), 2);
    // No token: the rotation is a 401; the pipelined GET / is answered after it.
    assertThat(responses.stream().map(RawHttp.Response::status).toList(), contains(401, 200));
  }

  @Test
  void chunkedFramesTheBodyAndTheNextRequestIsServed() {
    List<RawHttp.Response> responses =
        RawHttp.sendPipelined(
            port(), post("Transfer-Encoding: chunked\r\n", "2\r\n{}\r\n0\r\n\r\n"), 2);
    assertThat(responses.stream().map(RawHttp.Response::status).toList(), contains(401, 200));
  }

  @Test
  void aGetWithoutABodyIsUnaffected() {
    List<RawHttp.Response> responses = RawHttp.sendPipelined(port(), SMUGGLED + SMUGGLED, 2);
    assertThat(responses.stream().map(RawHttp.Response::status).toList(), contains(200, 200));
  }

  private static void assertRefusedAndClosed(String request) {
    RawHttp.Response response = RawHttp.sendAndWatchClose(port(), request);
    String what = request.replace("\r\n", "⏎ ") + " -> " + response.status() + response.body();
    assertThat(what, response.status(), equalTo(400));
    assertThat(what, response.header("Content-Type").orElse(""), equalTo("application/json"));
    try (var reader = Json.createReader(new StringReader(response.body()))) {
      JsonObject body = reader.readObject();
      assertThat(what, body.getString("error"), equalTo("Bad Request"));
      assertThat(what, body.getString("message"), equalTo("Malformed request"));
    }
    assertThat(what, response.header("Connection").orElse(""), equalTo("close"));
    assertThat("the connection stayed open: " + what, response.closed(), equalTo(true));
  }
}
