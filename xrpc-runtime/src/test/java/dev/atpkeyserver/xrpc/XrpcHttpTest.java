package dev.atpkeyserver.xrpc;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientResponse;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import jakarta.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The runtime's HTTP-facing pieces over a real socket. */
@ServerTest
class XrpcHttpTest {

  private static final int LIMIT = 100;

  private final Http1Client client;

  XrpcHttpTest(Http1Client client) {
    this.client = client;
  }

  @SetUpRoute
  static void routing(HttpRouting.Builder routing) {
    routing
        .error(KeyserverException.class, (req, res, e) -> ErrorBodies.send(res, e))
        .post(
            "/body",
            (req, res) -> {
              JsonObject body = JsonBodies.read(req, LIMIT);
              XrpcResponses.sendJson(
                  res, out -> out.beginObject().name("members").value(body.size()).endObject());
            })
        .get(
            "/limited",
            (req, res) -> {
              throw new KeyserverException(
                  ErrorKind.TOO_MANY_REQUESTS, "Rate limit exceeded", Map.of("Retry-After", "30"));
            })
        .get("/direct", (req, res) -> ErrorBodies.send(res, ErrorKind.NOT_FOUND, "Group not found"))
        .any(
            "/a.b.c", XrpcResponses.wrongHttpMethod(new XrpcMethod("a.b.c", XrpcMethod.Kind.QUERY)))
        .any(XrpcResponses::notImplemented);
  }

  private static void assertJson(Http1ClientResponse res, Status status, String body) {
    try (res) {
      assertThat(res.status().code(), is(status.code()));
      assertThat(
          res.headers().first(HeaderNames.CONTENT_TYPE), is(Optional.of("application/json")));
      assertThat(res.as(String.class), is(body));
    }
  }

  @Test
  void readsAJsonBodyAndSendsJsonOutput() {
    Http1ClientResponse res =
        client
            .post("/body")
            .header(HeaderNames.CONTENT_TYPE, "application/json; charset=utf-8")
            .submit("{\"a\":1,\"b\":2}");
    assertJson(res, Status.OK_200, "{\"members\":2}");
  }

  @Test
  void readsAMissingBodyAsAnEmptyObject() {
    assertJson(client.post("/body").request(), Status.OK_200, "{\"members\":0}");
  }

  @Test
  void answers415ForAnotherContentType() {
    Http1ClientResponse res =
        client.post("/body").header(HeaderNames.CONTENT_TYPE, "text/plain").submit("{}");
    assertJson(
        res,
        Status.UNSUPPORTED_MEDIA_TYPE_415,
        "{\"error\":\"Unsupported Media Type\",\"message\":\"Content-Type must be application/json\"}");
  }

  @Test
  void answers413ForABodyOverTheLimit() {
    Http1ClientResponse res =
        client
            .post("/body")
            .header(HeaderNames.CONTENT_TYPE, "application/json")
            .submit("{\"a\":\"" + "x".repeat(200) + "\"}");
    assertJson(
        res,
        Status.REQUEST_ENTITY_TOO_LARGE_413,
        "{\"error\":\"Payload Too Large\",\"message\":\"Request body is larger than 100 bytes\"}");
  }

  @Test
  void answers413ForAChunkedBodyOverTheLimit() {
    Http1ClientResponse res =
        client
            .post("/body")
            .header(HeaderNames.CONTENT_TYPE, "application/json")
            .outputStream(
                out -> {
                  out.write("{\"a\":\"".getBytes(StandardCharsets.UTF_8));
                  for (int i = 0; i < 20; i++) {
                    out.write("xxxxxxxxxx".getBytes(StandardCharsets.UTF_8));
                    out.flush();
                  }
                  out.write("\"}".getBytes(StandardCharsets.UTF_8));
                  out.close();
                });
    assertJson(
        res,
        Status.REQUEST_ENTITY_TOO_LARGE_413,
        "{\"error\":\"Payload Too Large\",\"message\":\"Request body is larger than 100 bytes\"}");
  }

  @Test
  void answers400ForMalformedJson() {
    Http1ClientResponse res =
        client.post("/body").header(HeaderNames.CONTENT_TYPE, "application/json").submit("{\"a\":");
    assertJson(
        res,
        Status.BAD_REQUEST_400,
        "{\"error\":\"Bad Request\",\"message\":\"Malformed JSON body\"}");
  }

  @Test
  void sendsAnExceptionsStatusBodyAndHeaders() {
    try (Http1ClientResponse res = client.get("/limited").request()) {
      assertThat(res.status().code(), is(429));
      assertThat(res.status().reasonPhrase(), is("Too Many Requests"));
      assertThat(res.headers().first(HeaderNames.RETRY_AFTER), is(Optional.of("30")));
      assertThat(
          res.as(String.class),
          is("{\"error\":\"Too Many Requests\",\"message\":\"Rate limit exceeded\"}"));
    }
  }

  @Test
  void sendsAnErrorDirectly() {
    assertJson(
        client.get("/direct").request(),
        Status.NOT_FOUND_404,
        "{\"error\":\"Not Found\",\"message\":\"Group not found\"}");
  }

  @Test
  void answersTheWrongHttpMethodWith400AndAllow() {
    try (Http1ClientResponse res = client.post("/a.b.c").request()) {
      assertThat(res.status().code(), is(400));
      assertThat(res.headers().first(HeaderNames.ALLOW), is(Optional.of("GET")));
      assertThat(
          res.as(String.class),
          is("{\"error\":\"Bad Request\",\"message\":\"Incorrect HTTP method\"}"));
    }
  }

  @Test
  void answersAnUnknownMethodWith501() {
    assertJson(
        client.get("/x.y.z").request(),
        Status.NOT_IMPLEMENTED_501,
        "{\"error\":\"Not Implemented\",\"message\":\"Method not implemented\"}");
  }
}
