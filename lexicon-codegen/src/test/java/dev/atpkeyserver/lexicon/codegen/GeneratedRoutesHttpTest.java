package dev.atpkeyserver.lexicon.codegen;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;

import dev.atpkeyserver.did.Did;
import dev.atpkeyserver.xrpc.ErrorBodies;
import dev.atpkeyserver.xrpc.ErrorKind;
import dev.atpkeyserver.xrpc.KeyserverException;
import dev.atpkeyserver.xrpc.XrpcAuthenticator;
import dev.atpkeyserver.xrpc.XrpcCall;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Generated routes for the fixture lexicons, served by a real Helidon WebServer and called over
 * HTTP. The handlers are proxies that echo their parameters and body back as the output (the
 * fixture outputs mirror their inputs), so the response shows exactly what validation produced.
 */
class GeneratedRoutesHttpTest {

  private static final int LIMIT = 1024;

  private static WebServer server;
  private static final List<String> AUTHENTICATED = new CopyOnWriteArrayList<>();
  private final HttpClient client = HttpClient.newHttpClient();

  @BeforeAll
  static void startServer() throws Exception {
    server = FixtureServer.start(GeneratedCode.fixturesCompiled(), AUTHENTICATOR, LIMIT);
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.stop();
    }
  }

  @BeforeEach
  void forgetCalls() {
    AUTHENTICATED.clear();
  }

  /** Denies callers sending X-Test-Deny, so tests can see authentication runs first. */
  private static final XrpcAuthenticator AUTHENTICATOR =
      (nsid, request) -> {
        AUTHENTICATED.add(nsid);
        if (request.headers().contains(HeaderNames.create("X-Test-Deny"))) {
          throw new KeyserverException(
              ErrorKind.UNAUTHORIZED,
              "Authentication required",
              Map.of("WWW-Authenticate", "Bearer"));
        }
        return new XrpcCall(
            nsid, Optional.of(new Did("plc", "caller")), Optional.empty(), Optional.empty());
      };

  private HttpResponse<String> get(String path, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).GET();
    if (headers.length > 0) {
      request.headers(headers);
    }
    return client.send(request.build(), BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path, String contentType, String body)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(path));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    return client.send(
        request.POST(BodyPublishers.ofString(body)).build(), BodyHandlers.ofString());
  }

  private HttpResponse<String> postJson(String path, String body)
      throws IOException, InterruptedException {
    return post(path, "application/json", body);
  }

  private static URI uri(String path) {
    return URI.create("http://localhost:" + server.port() + path);
  }

  private static void assertResponse(HttpResponse<String> res, int status, String body) {
    assertThat(res.body(), is(body));
    assertThat(res.statusCode(), is(status));
    assertThat(res.headers().firstValue("Content-Type"), is(Optional.of("application/json")));
  }

  private static void assertBadRequest(HttpResponse<String> res, String message) {
    assertResponse(
        res,
        400,
        new String(ErrorBodies.json(ErrorKind.BAD_REQUEST, message), StandardCharsets.UTF_8));
  }

  // ---- queries ----

  @Test
  void answersAValidQueryWithJsonApplyingDefaults() throws Exception {
    assertResponse(
        get("/xrpc/com.example.fixture.echo?text=hi"), 200, "{\"text\":\"hi\",\"count\":3}");
    assertThat(AUTHENTICATED, contains("com.example.fixture.echo"));
  }

  @Test
  void readsEveryParameterType() throws Exception {
    assertResponse(
        get(
            "/xrpc/com.example.fixture.echo?text=h%C3%A9&count=10&flag=false"
                + "&when=2025-01-24T12:30:00%2B02:00&who=did:plc:abc&tags=x&tags=yz&mode=b"
                + "&unknown=ignored"),
        200,
        "{\"text\":\"hé\",\"count\":10,\"flag\":false,\"when\":\"2025-01-24T10:30:00.000Z\","
            + "\"who\":\"did:plc:abc\",\"tags\":[\"x\",\"yz\"],\"mode\":\"b\"}");
  }

  @Test
  void acceptsATrailingSlash() throws Exception {
    assertResponse(
        get("/xrpc/com.example.fixture.echo/?text=a"), 200, "{\"text\":\"a\",\"count\":3}");
  }

  @Test
  void refusesMissingAndInvalidParametersNamingTheRule() throws Exception {
    assertBadRequest(get("/xrpc/com.example.fixture.echo"), "Missing required parameter 'text'");
    assertBadRequest(
        get("/xrpc/com.example.fixture.echo?text=hi&count=0"),
        "Invalid parameter 'count': must be an integer between 1 and 10");
    assertBadRequest(
        get("/xrpc/com.example.fixture.echo?text=hi&count=1&count=2"),
        "Invalid parameter 'count': must be given at most once");
    assertBadRequest(
        get("/xrpc/com.example.fixture.echo?text=12345678901"),
        "Invalid parameter 'text': must be at most 10 bytes long");
    assertBadRequest(
        get("/xrpc/com.example.fixture.echo?text=hi&who=bob"), "Invalid DID format in 'who'");
    assertBadRequest(
        get("/xrpc/com.example.fixture.echo?text=hi&mode=c"),
        "Invalid parameter 'mode': must be one of: a, b");
    assertBadRequest(
        get("/xrpc/com.example.fixture.echo?text=hi&when=yesterday"),
        "Invalid datetime format in 'when'");
    assertBadRequest(
        get("/xrpc/com.example.fixture.echo?text=hi&flag=yes"),
        "Invalid parameter 'flag': must be a boolean (true or false)");
    assertBadRequest(
        get("/xrpc/com.example.fixture.echo?text=hi&tags=toolong"),
        "Invalid parameter 'tags': must be at most 2 bytes long");
    assertBadRequest(
        get("/xrpc/com.example.fixture.echo?text=hi&tags=a&tags=b&tags=c&tags=d"),
        "Invalid parameter 'tags': must have at most 3 items");
  }

  @Test
  void authenticatesBeforeLookingAtTheRequest() throws Exception {
    HttpResponse<String> res = get("/xrpc/com.example.fixture.echo?count=0", "X-Test-Deny", "1");
    assertResponse(
        res, 401, "{\"error\":\"Unauthorized\",\"message\":\"Authentication required\"}");
    assertThat(res.headers().firstValue("WWW-Authenticate"), is(Optional.of("Bearer")));
    HttpResponse<String> body =
        client.send(
            HttpRequest.newBuilder(uri("/xrpc/com.example.fixture.submit"))
                .header("X-Test-Deny", "1")
                .header("Content-Type", "text/plain")
                .POST(BodyPublishers.ofString("not json"))
                .build(),
            BodyHandlers.ofString());
    assertThat(body.statusCode(), is(401));
  }

  @Test
  void answersTheWrongHttpMethodWith400() throws Exception {
    HttpResponse<String> post = postJson("/xrpc/com.example.fixture.echo", "{}");
    assertBadRequest(post, "Incorrect HTTP method");
    assertThat(post.headers().firstValue("Allow"), is(Optional.of("GET")));
    HttpResponse<String> getProcedure = get("/xrpc/com.example.fixture.submit");
    assertBadRequest(getProcedure, "Incorrect HTTP method");
    assertThat(getProcedure.headers().firstValue("Allow"), is(Optional.of("POST")));
    HttpResponse<String> delete =
        client.send(
            HttpRequest.newBuilder(uri("/xrpc/com.example.fixture.echo")).DELETE().build(),
            BodyHandlers.ofString());
    assertBadRequest(delete, "Incorrect HTTP method");
    assertThat(AUTHENTICATED.isEmpty(), is(true));
  }

  @Test
  void answersUnknownMethodsWith501() throws Exception {
    String body = "{\"error\":\"Not Implemented\",\"message\":\"Method not implemented\"}";
    assertResponse(get("/xrpc/com.example.fixture.nope"), 501, body);
    assertResponse(postJson("/xrpc/com.example.fixture.nope", "{}"), 501, body);
    assertResponse(get("/xrpc/"), 501, body);
    assertResponse(get("/xrpc/com.example.fixture.echo/extra"), 501, body);
  }

  @Test
  void sendsAHandlersKeyserverException() throws Exception {
    HttpResponse<String> res = get("/xrpc/com.example.fixture.fail");
    assertResponse(res, 409, "{\"error\":\"Conflict\",\"message\":\"Already exists\"}");
    assertThat(res.headers().firstValue("Retry-After"), is(Optional.of("5")));
  }

  // ---- procedures ----

  private static final String SUBMIT = "/xrpc/com.example.fixture.submit";

  @Test
  void answersAValidProcedureWithJson() throws Exception {
    assertResponse(
        postJson(
            SUBMIT,
            "{\"name\":\"n\",\"note\":null,\"confirm\":\"YES\",\"unknown\":{\"deep\":[1]},"
                + "\"items\":[{\"id\":1,\"at\":null},{\"id\":2,\"label\":\"l\",\"at\":\"2025-01-24T10:30:00Z\"}],"
                + "\"labels\":[\"a\",\"bc\"],\"pair\":{\"left\":true}}"),
        200,
        "{\"name\":\"n\",\"level\":\"low\",\"note\":null,"
            + "\"items\":[{\"id\":1,\"at\":null},{\"id\":2,\"label\":\"l\",\"at\":\"2025-01-24T10:30:00.000Z\"}],"
            + "\"confirm\":\"YES\",\"labels\":[\"a\",\"bc\"],\"pair\":{\"left\":true,\"right\":false}}");
  }

  @Test
  void combinesParametersAndBody() throws Exception {
    assertResponse(
        postJson("/xrpc/com.example.fixture.update?id=7", "{\"value\":\"v\"}"),
        200,
        "{\"id\":7,\"value\":\"v\"}");
    assertBadRequest(
        postJson("/xrpc/com.example.fixture.update", "{\"value\":\"v\"}"),
        "Missing required parameter 'id'");
  }

  @Test
  void refusesInvalidFieldsNamingTheFieldAndRule() throws Exception {
    String valid = "\"note\":\"x\",\"confirm\":\"YES\"";
    assertBadRequest(postJson(SUBMIT, "{" + valid + "}"), "Missing required field 'name'");
    assertBadRequest(
        postJson(SUBMIT, "{\"name\":5," + valid + "}"), "Invalid field 'name': must be a string");
    assertBadRequest(
        postJson(SUBMIT, "{\"name\":null," + valid + "}"),
        "Invalid field 'name': must not be null");
    assertBadRequest(
        postJson(SUBMIT, "{\"name\":\"123456789\"," + valid + "}"),
        "Invalid field 'name': must be at most 8 bytes long");
    assertBadRequest(
        postJson(SUBMIT, "{\"name\":\"n\",\"confirm\":\"YES\"}"), "Missing required field 'note'");
    assertBadRequest(
        postJson(SUBMIT, "{\"name\":\"n\",\"note\":null,\"confirm\":\"NO\"}"),
        "Invalid field 'confirm': must be exactly \"YES\"");
    assertBadRequest(
        postJson(SUBMIT, "{\"name\":\"n\",\"level\":\"mid\"," + valid + "}"),
        "Invalid field 'level': must be one of: low, high");
    assertBadRequest(
        postJson(
            SUBMIT,
            "{\"name\":\"n\",\"items\":[{\"id\":1,\"at\":null},{\"id\":0,\"at\":null}],"
                + valid
                + "}"),
        "Invalid field 'items[1].id': must be an integer >= 1");
    assertBadRequest(
        postJson(SUBMIT, "{\"name\":\"n\",\"extra\":{\"id\":1}," + valid + "}"),
        "Missing required field 'extra.at'");
    assertBadRequest(
        postJson(SUBMIT, "{\"name\":\"n\",\"extra\":[]," + valid + "}"),
        "Invalid field 'extra': must be an object");
    assertBadRequest(
        postJson(SUBMIT, "{\"name\":\"n\",\"size\":1.5," + valid + "}"),
        "Invalid field 'size': must be an integer");
    assertBadRequest(
        postJson(SUBMIT, "{\"name\":\"n\",\"labels\":[\"a\",\"b\",\"c\"]," + valid + "}"),
        "Invalid field 'labels': must have at most 2 items");
  }

  @Test
  void refusesAnotherContentTypeWith415() throws Exception {
    assertResponse(
        post(SUBMIT, "text/plain", "{\"name\":\"n\"}"),
        415,
        "{\"error\":\"Unsupported Media Type\",\"message\":\"Content-Type must be application/json\"}");
    assertThat(post(SUBMIT, null, "{\"name\":\"n\"}").statusCode(), is(415));
    assertBadRequest(
        post(SUBMIT, "application/json; charset=UTF-8", "{}"), "Missing required field 'name'");
  }

  @Test
  void readsAnEmptyBodyAsAnEmptyObject() throws Exception {
    assertBadRequest(post(SUBMIT, null, ""), "Missing required field 'name'");
    assertBadRequest(post(SUBMIT, "text/plain", ""), "Missing required field 'name'");
  }

  @Test
  void refusesMalformedJson() throws Exception {
    for (String body :
        List.of("{", "[]", "\"x\"", "{\"name\":\"n\"} trailing", "{\"a\":1,\"a\":2}")) {
      assertBadRequest(postJson(SUBMIT, body), "Malformed JSON body");
    }
  }

  @Test
  void refusesABodyOverTheLimitWith413() throws Exception {
    String big = "{\"name\":\"" + "x".repeat(2 * LIMIT) + "\"}";
    String expected =
        "{\"error\":\"Payload Too Large\",\"message\":\"Request body is larger than "
            + LIMIT
            + " bytes\"}";
    assertResponse(postJson(SUBMIT, big), 413, expected);
    HttpResponse<String> chunked =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(uri(SUBMIT))
                    .header("Content-Type", "application/json")
                    .POST(
                        BodyPublishers.ofInputStream(
                            () -> new ByteArrayInputStream(big.getBytes(StandardCharsets.UTF_8))))
                    .build(),
                BodyHandlers.ofString());
    assertResponse(chunked, 413, expected);
  }

  @Test
  void theTwoArgumentConstructorUsesTheDefaultLimit() throws Exception {
    String body = "{\"name\":\"n\",\"note\":\"" + "x".repeat(4 * LIMIT) + "\",\"confirm\":\"YES\"}";
    HttpResponse<String> res = postJson("/big" + SUBMIT, body);
    assertThat(res.statusCode(), is(200));
    String huge = "{\"name\":\"n\",\"note\":\"" + "x".repeat(65 * 1024) + "\",\"confirm\":\"YES\"}";
    assertThat(postJson("/big" + SUBMIT, huge).statusCode(), is(413));
  }

  @Test
  void handlesOddNamesEndToEnd() throws Exception {
    assertResponse(
        postJson(
            "/xrpc/com.example.fixture.my-ns.getOdd",
            "{\"default\":\"quote \\\" backslash \\\\ newline \\n unicode \\u00e9 \\\\u0022\","
                + "\"class\":2,\"hash-code\":true,\"list\":{\"values\":[1,2]},\"string\":{\"value\":\"s\"},"
                + "\"out\":\"y\",\"at-id\":\"alice.example.com\",\"ns\":\"a.b.c\",\"handle\":\"a.co\"}"),
        200,
        "{\"default\":\"quote \\\" backslash \\\\ newline \\n unicode é \\\\u0022\","
            + "\"class\":2,\"hash-code\":true,\"list\":{\"values\":[1,2]},\"string\":{\"value\":\"s\"},"
            + "\"out\":\"y\",\"at-id\":\"alice.example.com\",\"ns\":\"a.b.c\",\"handle\":\"a.co\"}");
    assertBadRequest(
        postJson("/xrpc/com.example.fixture.my-ns.getOdd", "{\"default\":\"x\"}"),
        "Invalid field 'default': must be exactly \"quote \" backslash \\ newline \n unicode é \\u0022\"");
  }
}
