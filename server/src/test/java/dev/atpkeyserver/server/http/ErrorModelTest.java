package dev.atpkeyserver.server.http;

import static dev.atpkeyserver.server.testing.Responses.assertError;
import static dev.atpkeyserver.server.testing.Responses.ok;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.atpkeyserver.lexicon.alpha.keypair.GetPublicKey;
import dev.atpkeyserver.lexicon.alpha.keypair.Rotate;
import dev.atpkeyserver.server.testing.KeyserverExtension;
import dev.atpkeyserver.server.testing.TestDatabase;
import dev.atpkeyserver.server.testing.TestServer;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every layer's errors come back in the contract's {@code {"error", "message"}} body. */
class ErrorModelTest {

  private static final String PUBLIC_KEY = "/xrpc/" + GetPublicKey.NSID;
  private static final String ROTATE = "/xrpc/" + Rotate.NSID;

  @RegisterExtension
  static final KeyserverExtension servers =
      new KeyserverExtension(
          Map.of(
              "keyserver.public-url", "https://keyserver.example.com",
              "keyserver.plc-url", "http://127.0.0.1:9"));

  private static TestServer server() {
    return servers.on(TestDatabase.H2);
  }

  @Test
  void rootAnswersNameAndVersion() {
    JsonObject body = ok(server().get("/"));
    assertThat(body.getString("name"), equalTo("@atpkeyserver/server"));
    assertThat(body.getString("version"), equalTo("0.0.1"));
  }

  @Test
  void wellKnownDidDocumentFollowsTheContract() {
    JsonObject body = ok(server().get("/.well-known/did.json"));
    assertThat(body.getJsonArray("@context").getString(0), equalTo("https://www.w3.org/ns/did/v1"));
    assertThat(body.getString("id"), equalTo("did:web:keyserver.example.com"));
    JsonObject service = body.getJsonArray("service").getJsonObject(0);
    assertThat(service.getString("id"), equalTo("#atp_keyserver"));
    assertThat(service.getString("type"), equalTo("AtpKeyserver"));
    assertThat(service.getString("serviceEndpoint"), equalTo("https://keyserver.example.com/"));
  }

  @Test
  void unknownPathsAreNotFound() {
    assertError(server().get("/nothing/here"), 404, "Not Found", "No such endpoint");
  }

  @Test
  void unknownXrpcMethodsAreNotImplemented() {
    assertError(
        server().get("/xrpc/com.example.nothing"),
        501,
        "Not Implemented",
        "Method not implemented");
  }

  @Test
  void theWrongHttpMethodIsABadRequest() {
    assertError(server().postJson(PUBLIC_KEY, "{}"), 400, "Bad Request", "Incorrect HTTP method");
    assertError(server().get(ROTATE), 400, "Bad Request", "Incorrect HTTP method");
  }

  @Test
  void aMissingRequiredParameterIsABadRequest() {
    assertError(server().get(PUBLIC_KEY), 400, "Bad Request", "did");
  }

  @Test
  void requestBodiesAreCheckedAfterAuthentication() {
    // No token: the body is never looked at, whatever it holds.
    assertError(
        server().postJson(ROTATE, "{not json"), 401, "Unauthorized", "Missing service auth token");
  }

  @Test
  void malformedHttpIsABadRequestInTheContractFormat() throws IOException {
    String raw = rawRequest("GET /xrpc HTTP/1.1\r\nHost: x\r\nBad Header Line\r\n\r\n");
    assertThat(raw.startsWith("HTTP/1.1 400"), equalTo(true));
    assertThat(raw.contains("{\"error\":\"Bad Request\",\"message\":"), equalTo(true));
  }

  @Test
  void anOversizedBodyIsRefusedInTheContractFormat() throws IOException {
    // Headers only: the server judges the declared length and answers before reading the body.
    // (Sending the body too races the server closing the connection, and a reset can swallow
    // the answer on the client side.)
    String raw =
        rawRequest(
            "POST "
                + ROTATE
                + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Content-Length: 70000\r\n\r\n");
    assertThat(raw, raw.startsWith("HTTP/1.1 413"), equalTo(true));
    assertThat(raw, raw.contains("{\"error\":\"Payload Too Large\",\"message\":"), equalTo(true));
  }

  private String rawRequest(String request) throws IOException {
    try (Socket socket =
        new Socket(InetAddress.getLoopbackAddress(), server().baseUri().getPort())) {
      socket.setSoTimeout(5_000);
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[4096];
      int read = in.read(buffer);
      return new String(buffer, 0, Math.max(read, 0), StandardCharsets.US_ASCII);
    }
  }
}
