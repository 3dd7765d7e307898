package dev.atpkeyserver.xrpc.client;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.atpkeyserver.xrpc.ArrayRule;
import dev.atpkeyserver.xrpc.FieldType;
import dev.atpkeyserver.xrpc.IntegerRule;
import dev.atpkeyserver.xrpc.JsonFields;
import dev.atpkeyserver.xrpc.JsonOut;
import dev.atpkeyserver.xrpc.JsonWritable;
import dev.atpkeyserver.xrpc.QueryWritable;
import dev.atpkeyserver.xrpc.StringRule;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import jakarta.json.JsonValue;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link XrpcClient} against a real HTTP server (Helidon, on a free port) that records what it
 * receives and answers what each test tells it to: both ways to authenticate, what goes on the
 * wire, and every kind of answer.
 */
@ServerTest
class XrpcClientTest {

  private static final String QUERY = "com.example.test.getThing";
  private static final String PROCEDURE = "com.example.test.doThing";

  /** What the server saw of one request. */
  private record Seen(
      String method, String path, String rawQuery, Map<String, String> headers, String body) {}

  /** The next answer: status, headers, body, and how long to wait before sending it. */
  private record Answer(int status, Map<String, String> headers, String body, long delayMillis) {}

  private static final List<Seen> SEEN = new CopyOnWriteArrayList<>();
  private static final AtomicReference<Answer> NEXT = new AtomicReference<>();

  private final URI base;

  XrpcClientTest(URI base) {
    this.base = base;
  }

  @SetUpRoute
  static void routing(HttpRouting.Builder routing) {
    routing.any(XrpcClientTest::answer);
  }

  private static void answer(ServerRequest req, ServerResponse res) throws java.io.IOException {
    Map<String, String> headers = new java.util.TreeMap<>();
    req.headers().forEach(h -> headers.put(h.name().toLowerCase(java.util.Locale.ROOT), h.get()));
    String body =
        req.content().hasEntity()
            ? new String(req.content().inputStream().readAllBytes(), StandardCharsets.UTF_8)
            : "";
    SEEN.add(
        new Seen(
            req.prologue().method().text(),
            req.path().rawPath(),
            req.query().rawValue(),
            headers,
            body));
    Answer answer = NEXT.get();
    if (answer.delayMillis() > 0) {
      try {
        Thread.sleep(answer.delayMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    res.status(Status.create(answer.status()));
    answer.headers().forEach(res::header);
    res.send(answer.body().getBytes(StandardCharsets.UTF_8));
  }

  @BeforeEach
  void reset() {
    SEEN.clear();
    answer(200, "{\"version\":2}");
  }

  private static void answer(int status, String body, String... headers) {
    Map<String, String> map = new java.util.LinkedHashMap<>();
    map.put("Content-Type", "application/json");
    for (int i = 0; i < headers.length; i += 2) {
      map.put(headers[i], headers[i + 1]);
    }
    NEXT.set(new Answer(status, map, body, 0));
  }

  /** A test output: a required version and an optional note. */
  record Thing(long version, Optional<String> note) implements JsonWritable {
    static final IntegerRule VERSION = IntegerRule.any().minimum(1L);

    static Thing fromJson(JsonValue json, String path) {
      JsonFields fields = JsonFields.of(json, path);
      return new Thing(
          fields.required("version", VERSION), fields.optional("note", StringRule.any()));
    }

    @Override
    public void writeJson(JsonOut out) {
      out.beginObject().name("version").value(version);
      note.ifPresent(n -> out.name("note").value(n));
      out.endObject();
    }
  }

  /** A test output with nested records, for strictness inside arrays. */
  record Things(List<Thing> things) implements JsonWritable {
    static final FieldType<List<Thing>> THINGS = ArrayRule.any().of(Thing::fromJson);

    static Things fromJson(JsonValue json, String path) {
      return new Things(JsonFields.of(json, path).required("things", THINGS));
    }

    @Override
    public void writeJson(JsonOut out) {
      out.beginObject().name("things").beginArray();
      things.forEach(out::value);
      out.endArray().endObject();
    }
  }

  private static final QueryWritable PARAMS =
      out -> out.add("did", "did:plc:abc").add("group_id", "did:plc:abc#friends").add("limit", 2);

  private XrpcClient.Builder client() {
    return XrpcClient.builder(base);
  }

  @Test
  void aServiceTokenPerCallGoesStraightToTheService() {
    List<String> asked = new ArrayList<>();
    XrpcClient client =
        client()
            .serviceAuth(
                lxm -> {
                  asked.add(lxm);
                  return "service-token-" + asked.size();
                })
            .userAgent("my-app/1.2")
            .header("X-Extra", "yes")
            .build();

    Thing thing = client.query(QUERY, PARAMS, Thing::fromJson);
    client.procedure(
        PROCEDURE, QueryWritable.NONE, new Thing(3, Optional.of("é")), Thing::fromJson);

    assertThat(thing, is(new Thing(2, Optional.empty())));
    assertThat(asked, is(List.of(QUERY, PROCEDURE)));
    Seen get = SEEN.get(0);
    assertThat(get.method(), is("GET"));
    assertThat(get.path(), is("/xrpc/" + QUERY));
    assertThat(
        get.rawQuery(), is("did=did%3Aplc%3Aabc&group_id=did%3Aplc%3Aabc%23friends&limit=2"));
    assertThat(get.headers().get("authorization"), is("Bearer service-token-1"));
    assertThat(get.headers().get("user-agent"), is("my-app/1.2"));
    assertThat(get.headers().get("x-extra"), is("yes"));
    assertThat(get.headers().get("accept"), is("application/json"));
    assertThat(get.headers().containsKey("atproto-proxy"), is(false));
    Seen post = SEEN.get(1);
    assertThat(post.method(), is("POST"));
    assertThat(post.path(), is("/xrpc/" + PROCEDURE));
    assertThat(post.rawQuery(), is(""));
    assertThat(post.headers().get("authorization"), is("Bearer service-token-2"));
    assertThat(post.headers().get("content-type"), is("application/json"));
    assertThat(post.body(), is("{\"version\":3,\"note\":\"é\"}"));
  }

  @Test
  void throughThePdsTheAccessTokenAndTheProxyHeaderGoToThePds() {
    AtomicInteger refreshes = new AtomicInteger();
    XrpcClient client =
        client()
            .accessToken(() -> "access-" + refreshes.incrementAndGet())
            .atprotoProxy("did:web:keyserver.example.com", "atp_keyserver")
            .build();

    client.query(QUERY, QueryWritable.NONE, Thing::fromJson);
    client.query(QUERY, QueryWritable.NONE, Thing::fromJson);

    assertThat(SEEN.get(0).path(), is("/xrpc/" + QUERY));
    assertThat(
        SEEN.get(0).headers().get("atproto-proxy"),
        is("did:web:keyserver.example.com#atp_keyserver"));
    assertThat(SEEN.get(0).headers().get("authorization"), is("Bearer access-1"));
    // The supplier is asked on every call, so a refreshed session is used at once.
    assertThat(SEEN.get(1).headers().get("authorization"), is("Bearer access-2"));
  }

  @Test
  void withoutAuthenticationNothingIsSentAndABasePathIsKept() {
    XrpcClient client = XrpcClient.builder(base.resolve("/prefix")).build();

    client.query(QUERY, QueryWritable.NONE, Thing::fromJson);
    client.procedure(PROCEDURE, QueryWritable.NONE, Thing::fromJson);

    assertThat(SEEN.get(0).path(), is("/prefix/xrpc/" + QUERY));
    assertThat(SEEN.get(0).headers().containsKey("authorization"), is(false));
    assertThat(SEEN.get(1).method(), is("POST"));
    assertThat(SEEN.get(1).body(), is(""));
    assertThat(SEEN.get(1).headers().containsKey("content-type"), is(false));
  }

  @Test
  void anErrorAnswerIsOneExceptionWithStatusErrorMessageAndEveryHeader() {
    answer(
        429,
        "{\"error\":\"Too Many Requests\",\"message\":\"Rate limit exceeded\"}",
        "Retry-After",
        "42",
        "X-RateLimit-Remaining",
        "0");
    XrpcClient client = client().build();

    XrpcClientException e =
        assertThrows(XrpcClientException.class, () -> client.query(QUERY, PARAMS, Thing::fromJson));

    assertThat(e.nsid(), is(QUERY));
    assertThat(e.status(), is(429));
    assertThat(e.error(), is("Too Many Requests"));
    assertThat(e.errorMessage(), is(Optional.of("Rate limit exceeded")));
    assertThat(e.retryAfter(), is(Optional.of(Duration.ofSeconds(42))));
    assertThat(e.headers().firstValue("X-RateLimit-Remaining"), is(Optional.of("0")));
    assertThat(e.getMessage(), is(QUERY + ": 429 Too Many Requests: Rate limit exceeded"));
  }

  @Test
  void anErrorWithoutAJsonBodyKeepsItsStatus() {
    answer(404, "<html>nope</html>", "Content-Type", "text/html");
    XrpcClientException e =
        assertThrows(
            XrpcClientException.class,
            () -> client().build().query(QUERY, PARAMS, Thing::fromJson));
    assertThat(e.status(), is(404));
    assertThat(e.error(), is("Not Found"));
    assertThat(e.errorMessage(), is(Optional.empty()));
    assertThat(e.retryAfter(), is(Optional.empty()));

    answer(502, "", "Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT");
    XrpcClientException gateway =
        assertThrows(
            XrpcClientException.class,
            () -> client().build().query(QUERY, PARAMS, Thing::fromJson));
    assertThat(gateway.error(), is("Unknown"));
    // An HTTP date in the past means: now.
    assertThat(gateway.retryAfter(), is(Optional.of(Duration.ZERO)));
  }

  @Test
  void anAnswerThatIsNotTheOutputIsAnInvalidResponse() {
    XrpcClient client = client().build();
    answer(200, "{\"note\":\"no version\"}");
    XrpcClientException missing =
        assertThrows(XrpcClientException.class, () -> client.query(QUERY, PARAMS, Thing::fromJson));
    assertThat(missing.status(), is(200));
    assertThat(missing.error(), is(XrpcClientException.INVALID_RESPONSE));
    assertThat(missing.errorMessage(), is(Optional.of("Missing required member 'version'")));

    answer(200, "{\"version\":0}");
    XrpcClientException rule =
        assertThrows(XrpcClientException.class, () -> client.query(QUERY, PARAMS, Thing::fromJson));
    assertThat(
        rule.errorMessage(), is(Optional.of("Invalid member 'version': must be an integer >= 1")));

    answer(200, "not json", "Content-Type", "text/plain");
    XrpcClientException text =
        assertThrows(XrpcClientException.class, () -> client.query(QUERY, PARAMS, Thing::fromJson));
    assertThat(text.errorMessage(), is(Optional.of("Response body is not JSON")));
  }

  @Test
  void undeclaredMembersAreIgnoredUnlessStrict() {
    answer(200, "{\"things\":[{\"version\":1},{\"version\":2,\"privateKey\":\"00\"}],\"more\":1}");
    assertThat(client().build().query(QUERY, PARAMS, Things::fromJson).things().size(), is(2));

    XrpcClientException strict =
        assertThrows(
            XrpcClientException.class,
            () -> client().strict().build().query(QUERY, PARAMS, Things::fromJson));
    assertThat(strict.error(), is(XrpcClientException.INVALID_RESPONSE));
    assertThat(
        strict.errorMessage(),
        is(Optional.of("Member 'things[1].privateKey' is not declared by the lexicon")));

    answer(200, "{\"version\":1,\"note\":\"n\"}");
    assertThat(
        client().strict().build().query(QUERY, PARAMS, Thing::fromJson),
        is(new Thing(1, Optional.of("n"))));
    // Exactly as the records write it: a null where they leave a member out is another form.
    answer(200, "{\"note\":null}");
    assertThat(
        client().build().query(QUERY, PARAMS, Note::fromJson), is(new Note(Optional.empty())));
    assertThat(
        assertThrows(
                XrpcClientException.class,
                () -> client().strict().build().query(QUERY, PARAMS, Note::fromJson))
            .errorMessage(),
        is(Optional.of("Member 'note' is not in the form the lexicon's records write")));
  }

  @Test
  void strictAnswersAreInTheFormTheRecordsWrite() {
    answer(200, "{\"when\":\"2025-01-24T10:30:00Z\"}");
    assertThat(
        client().build().query(QUERY, PARAMS, When::fromJson),
        is(new When(java.time.Instant.parse("2025-01-24T10:30:00Z"))));
    assertThat(
        assertThrows(
                XrpcClientException.class,
                () -> client().strict().build().query(QUERY, PARAMS, When::fromJson))
            .errorMessage(),
        is(Optional.of("Member 'when' is not in the form the lexicon's records write")));
    answer(200, "{\"when\":\"2025-01-24T10:30:00.000Z\"}");
    assertThat(
        client().strict().build().query(QUERY, PARAMS, When::fromJson),
        is(new When(java.time.Instant.parse("2025-01-24T10:30:00Z"))));
  }

  /** A test output with a datetime. */
  record When(java.time.Instant when) implements JsonWritable {
    static When fromJson(JsonValue json, String path) {
      return new When(
          JsonFields.of(json, path)
              .required(
                  "when",
                  StringRule.any().format(dev.atpkeyserver.xrpc.StringFormat.DATETIME).instant()));
    }

    @Override
    public void writeJson(JsonOut out) {
      out.beginObject().name("when").value(when).endObject();
    }
  }

  /** A test output with a nullable, optional member. */
  record Note(Optional<String> note) implements JsonWritable {
    static Note fromJson(JsonValue json, String path) {
      return new Note(JsonFields.of(json, path).optionalNullable("note", StringRule.any()));
    }

    @Override
    public void writeJson(JsonOut out) {
      out.beginObject();
      note.ifPresent(n -> out.name("note").value(n));
      out.endObject();
    }
  }

  @Test
  void strictAnswersAreJsonByContentTypeToo() {
    answer(200, "{\"version\":1}", "Content-Type", "text/plain");
    assertThat(client().build().query(QUERY, PARAMS, Thing::fromJson).version(), is(1L));
    XrpcClientException strict =
        assertThrows(
            XrpcClientException.class,
            () -> client().strict().build().query(QUERY, PARAMS, Thing::fromJson));
    assertThat(strict.errorMessage(), is(Optional.of("Content-Type is not application/json")));

    answer(404, "{\"error\":\"Not Found\",\"message\":\"x\"}", "Content-Type", "text/html");
    assertThat(
        assertThrows(
                XrpcClientException.class,
                () -> client().strict().build().query(QUERY, PARAMS, Thing::fromJson))
            .error(),
        is(XrpcClientException.INVALID_RESPONSE));
    answer(200, "{\"version\":1}", "Content-Type", "application/json; charset=utf-8");
    assertThat(client().strict().build().query(QUERY, PARAMS, Thing::fromJson).version(), is(1L));
  }

  @Test
  void strictErrorBodiesHaveExactlyErrorAndMessage() {
    answer(404, "{\"error\":\"Not Found\",\"message\":\"Group not found\",\"stack\":\"...\"}");
    assertThat(
        assertThrows(
                XrpcClientException.class,
                () -> client().build().query(QUERY, PARAMS, Thing::fromJson))
            .error(),
        is("Not Found"));
    XrpcClientException strict =
        assertThrows(
            XrpcClientException.class,
            () -> client().strict().build().query(QUERY, PARAMS, Thing::fromJson));
    assertThat(strict.status(), is(404));
    assertThat(strict.error(), is(XrpcClientException.INVALID_RESPONSE));
    assertThat(
        strict.errorMessage(), is(Optional.of("Member 'stack' is not part of an XRPC error body")));

    answer(400, "{\"message\":\"no error\"}");
    assertThat(
        assertThrows(
                XrpcClientException.class,
                () -> client().strict().build().query(QUERY, PARAMS, Thing::fromJson))
            .errorMessage(),
        is(Optional.of("Error body without an error")));
  }

  @Test
  void noAnswerIsAnUncheckedIoExceptionNotAnXrpcError() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    XrpcClient refused = XrpcClient.builder(URI.create("http://127.0.0.1:" + closedPort)).build();
    UncheckedIOException e =
        assertThrows(
            UncheckedIOException.class, () -> refused.query(QUERY, PARAMS, Thing::fromJson));
    assertThat(e.getMessage(), containsString(QUERY + ": no answer from http://127.0.0.1:"));
  }

  @Test
  void aRedirectIsNotFollowedSoTheTokenStaysWhereItWasSent() {
    answer(302, "", "Location", "http://evil.example/steal");
    XrpcClientException e =
        assertThrows(
            XrpcClientException.class,
            () -> client().serviceAuth(lxm -> "t").build().query(QUERY, PARAMS, Thing::fromJson));
    assertThat(e.status(), is(302));
    assertThat(SEEN.size(), is(1));
  }

  @Test
  void theBuilderRefusesWhatCannotWork() {
    assertThrows(
        IllegalStateException.class,
        () -> client().serviceAuth(lxm -> "t").accessToken(() -> "a").build());
    assertThrows(
        IllegalStateException.class,
        () -> client().atprotoProxy("did:web:keyserver.example.com", "atp_keyserver").build());
    assertThrows(
        IllegalStateException.class,
        () ->
            client()
                .serviceAuth(lxm -> "t")
                .atprotoProxy("did:web:keyserver.example.com", "atp_keyserver")
                .build());
    assertThrows(
        IllegalArgumentException.class, () -> client().atprotoProxy("keyserver", "atp_keyserver"));
    assertThrows(
        IllegalArgumentException.class,
        () -> client().atprotoProxy("did:web:keyserver.example.com", "#atp_keyserver"));
    assertThrows(IllegalArgumentException.class, () -> client().header("Authorization", "x"));
    assertThrows(IllegalArgumentException.class, () -> client().header("ATPROTO-PROXY", "x"));
    assertThrows(
        IllegalArgumentException.class, () -> XrpcClient.builder(URI.create("ftp://x.example")));
    assertThrows(
        IllegalArgumentException.class,
        () -> XrpcClient.builder(URI.create("https://x.example/?a=b")));
    assertThrows(IllegalArgumentException.class, () -> client().timeout(Duration.ZERO));
    XrpcClient client = client().build();
    assertThrows(
        IllegalArgumentException.class, () -> client.query("not an nsid", PARAMS, Thing::fromJson));
    XrpcClient noToken = client().serviceAuth(lxm -> "").build();
    assertThrows(IllegalStateException.class, () -> noToken.query(QUERY, PARAMS, Thing::fromJson));
    assertThat(SEEN.size(), is(0));
  }

  @Test
  void aSlowAnswerTimesOutAsNoAnswer() {
    NEXT.set(new Answer(200, Map.of(), "{\"version\":1}", 3_000));
    XrpcClient client = client().timeout(Duration.ofMillis(300)).build();
    long start = System.nanoTime();
    UncheckedIOException e =
        assertThrows(
            UncheckedIOException.class, () -> client.query(QUERY, PARAMS, Thing::fromJson));
    assertThat(e.getCause() instanceof java.net.http.HttpTimeoutException, is(true));
    assertThat((System.nanoTime() - start) / 1_000_000 < 2_500, is(true));
  }
}
