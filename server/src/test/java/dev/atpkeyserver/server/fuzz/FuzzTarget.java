package dev.atpkeyserver.server.fuzz;

import static dev.atpkeyserver.server.testing.Inputs.addMember;
import static dev.atpkeyserver.server.testing.Inputs.groupKey;
import static dev.atpkeyserver.server.testing.Inputs.groupRotation;
import static dev.atpkeyserver.server.testing.Inputs.rotation;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.both;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.isEmptyOrNullString;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;

import dev.atpkeyserver.lexicon.client.KeyserverClient;
import dev.atpkeyserver.server.testing.KeyserverExtension;
import dev.atpkeyserver.server.testing.RawHttp;
import dev.atpkeyserver.server.testing.TestDatabase;
import dev.atpkeyserver.server.testing.TestServer;
import dev.atpkeyserver.server.testing.TestUser;
import dev.atpkeyserver.xrpc.ErrorKind;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A running keyserver (on PostgreSQL) with a seeded owner, group and member, which sends raw
 * requests and checks the contract's promises for each: never a 5xx (but the 501 of a path naming
 * no method); a 4xx has the contract's body and changes nothing stored.
 */
// close() passes on the Exception of JUnit's afterAll; nothing in it waits to be interrupted.
@SuppressWarnings("try")
final class FuzzTarget implements AutoCloseable {

  static final String PREFIX = "dev.atpkeyserver.alpha.";

  /** Every XRPC query (GET) method. */
  static final List<String> QUERIES =
      List.of(
          "keypair.getPublicKey",
          "keypair.getKeypair",
          "keypair.listVersions",
          "accessLogs.getLogs",
          "group.getKey",
          "group.listVersions",
          "device.list");

  /** Every XRPC procedure (POST) method. */
  static final List<String> PROCEDURES =
      List.of(
          "keypair.rotate",
          "group.rotateKey",
          "group.addMember",
          "group.removeMember",
          "account.delete",
          "device.register",
          "device.uploadPreKeys",
          "device.claimBundles",
          "device.revoke");

  private final KeyserverExtension servers;
  private final TestServer server;
  private final StoredState.Reader reader;
  private final Map<Integer, AtomicInteger> statuses = new ConcurrentSkipListMap<>();

  /** The stored state after the last refused request; null after a 2xx, which may change it. */
  private StoredState known;

  final TestUser owner;
  final TestUser member;
  final String groupId;

  private FuzzTarget(
      KeyserverExtension servers,
      TestServer server,
      StoredState.Reader reader,
      TestUser owner,
      TestUser member) {
    this.servers = servers;
    this.server = server;
    this.reader = reader;
    this.owner = owner;
    this.member = member;
    this.groupId = owner.did() + "#friends";
  }

  /** Starts the server and gives the owner a rotated keypair and a rotated group with a member. */
  static FuzzTarget start() throws SQLException {
    // Rate limits on, with budgets no run can spend, so every request passes the limits' filter
    // as it does in production, and none is refused with a 429 that could hide a wrong answer.
    String unspendable = String.valueOf(Integer.MAX_VALUE);
    KeyserverExtension servers =
        new KeyserverExtension(
            Map.of(
                "keyserver.rate-limit.enabled", "true",
                "keyserver.rate-limit.public.requests", unspendable,
                "keyserver.rate-limit.authenticated.requests", unspendable,
                "keyserver.rate-limit.rotation.requests", unspendable,
                "keyserver.rate-limit.membership.requests", unspendable));
    TestServer server = servers.on(TestDatabase.POSTGRES);
    TestUser owner = servers.newUser();
    TestUser member = servers.newUser();
    FuzzTarget target =
        new FuzzTarget(
            servers, server, new StoredState.Reader(server.database().settings()), owner, member);
    KeyserverClient api = server.as(owner);
    api.keypairRotate(rotation());
    api.groupGetKey(groupKey(target.groupId));
    api.groupAddMember(addMember(target.groupId, member.did()));
    api.groupRotateKey(groupRotation(target.groupId));
    return target;
  }

  /** A valid token of {@code user} for the method {@code <PREFIX><method>}. */
  String token(TestUser user, String method) {
    return user.token(server.serviceDid(), PREFIX + method);
  }

  /** A token builder pre-filled for the owner and {@code method}. */
  TestUser.Token tokenBuilder(String method) {
    return owner.tokenBuilder(server.serviceDid(), PREFIX + method);
  }

  /**
   * {@code GET /xrpc/<method>?<rawQuery>}, the query sent byte for byte (a string of byte values).
   */
  RawHttp.Response query(String method, String rawQuery, String authorization) {
    return query(method, rawQuery, authorization, "");
  }

  /** {@link #query(String, String, String)} with extra raw header lines, each ending in CRLF. */
  RawHttp.Response query(String method, String rawQuery, String authorization, String extra) {
    String target = "/xrpc/" + PREFIX + method + (rawQuery.isEmpty() ? "" : "?" + rawQuery);
    return send(
        "GET " + target + " HTTP/1.1\r\n" + headers(authorization, null, -1) + extra + "\r\n");
  }

  /**
   * {@code <httpMethod> <rawTarget>} with no body, the target sent byte for byte. Besides 2xx and
   * 4xx, a 501 is within the contract here: it is the answer to a path naming no method.
   */
  RawHttp.Response request(String httpMethod, String rawTarget) {
    return send(
        httpMethod + " " + rawTarget + " HTTP/1.1\r\n" + headers(null, null, -1) + "\r\n", true);
  }

  /** {@code POST /xrpc/<method>} with {@code body} (a string of byte values). */
  RawHttp.Response procedure(String method, String body, String contentType, String authorization) {
    return send(
        "POST /xrpc/"
            + PREFIX
            + method
            + " HTTP/1.1\r\n"
            + headers(authorization, contentType, body.length())
            + "\r\n"
            + body);
  }

  private static String headers(String authorization, String contentType, int length) {
    StringBuilder headers = new StringBuilder("Host: keyserver.test\r\nConnection: close\r\n");
    if (authorization != null) {
      headers.append("Authorization: ").append(authorization).append("\r\n");
    }
    if (contentType != null) {
      headers.append("Content-Type: ").append(contentType).append("\r\n");
    }
    if (length >= 0) {
      headers.append("Content-Length: ").append(length).append("\r\n");
    }
    return headers.toString();
  }

  /**
   * Sends one raw request and checks the answer against the contract: the status is 2xx or 4xx; a
   * 4xx carries {@code {"error": <reason phrase>, "message": <non-empty>}} as application/json and
   * leaves every stored row as it was.
   */
  RawHttp.Response send(String rawRequest) {
    return send(rawRequest, false);
  }

  private RawHttp.Response send(String rawRequest, boolean notImplementedAllowed) {
    // A refused request left the state as it was, so its snapshot is the next one's "before".
    StoredState before = known != null ? known : stored();
    known = null;
    RawHttp.Response response = RawHttp.send(server.baseUri().getPort(), rawRequest);
    String what = describe(rawRequest) + " -> " + response.status() + " " + response.body();
    int status = response.status();
    statuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
    if (!(notImplementedAllowed && status == ErrorKind.NOT_IMPLEMENTED.status())) {
      assertThat(what, status, either2xxOr4xx());
    }
    if (status >= 400) {
      assertContractError(what, response);
      StoredState after = stored();
      assertThat("a refused request changed stored rows: " + what, after, equalTo(before));
      known = after;
    }
    return response;
  }

  private static org.hamcrest.Matcher<Integer> either2xxOr4xx() {
    return org.hamcrest.Matchers.either(both(greaterThanOrEqualTo(200)).and(lessThan(300)))
        .or(both(greaterThanOrEqualTo(400)).and(lessThan(500)));
  }

  private static void assertContractError(String what, RawHttp.Response response) {
    ErrorKind kind =
        ErrorKind.forStatus(response.status())
            .orElseThrow(() -> new AssertionError("a status the contract lacks: " + what));
    assertThat(what, response.header("Content-Type").orElse(""), equalTo("application/json"));
    JsonObject body;
    try (JsonReader json = Json.createReader(new StringReader(response.body()))) {
      body = json.readObject();
    } catch (RuntimeException e) {
      throw new AssertionError("an error body that is not a JSON object: " + what, e);
    }
    assertThat(what, body.keySet(), contains("error", "message"));
    assertThat(what, body.get("error").getValueType(), equalTo(JsonValue.ValueType.STRING));
    assertThat(what, ((JsonString) body.get("error")).getString(), equalTo(kind.reasonPhrase()));
    assertThat(what, body.get("message").getValueType(), equalTo(JsonValue.ValueType.STRING));
    assertThat(what, body.getString("message"), not(isEmptyOrNullString()));
  }

  private StoredState stored() {
    server.awaitAccessLogWrites();
    return reader.read();
  }

  /** The request for a failure message: printable, and cut short when huge. */
  private static String describe(String rawRequest) {
    String printable =
        new String(rawRequest.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8)
            .replace("\r\n", "⏎ ");
    return printable.length() > 600
        ? printable.substring(0, 600) + "…(" + printable.length() + " chars)"
        : printable;
  }

  /** The access log's size and newest id, as stored once every queued entry is written. */
  List<String> accessLog() {
    return stored().tables().get("access_logs");
  }

  /** How many requests were answered with each status. */
  Map<Integer, AtomicInteger> statuses() {
    return statuses;
  }

  @Override
  public void close() throws Exception {
    reader.close();
    servers.afterAll(null);
  }
}
