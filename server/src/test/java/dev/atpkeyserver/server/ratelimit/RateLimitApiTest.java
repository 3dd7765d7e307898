package dev.atpkeyserver.server.ratelimit;

import static dev.atpkeyserver.server.testing.Inputs.activeKeypair;
import static dev.atpkeyserver.server.testing.Inputs.keypairVersions;
import static dev.atpkeyserver.server.testing.Inputs.rotation;
import static dev.atpkeyserver.server.testing.Responses.assertError;
import static dev.atpkeyserver.server.testing.Responses.ok;
import static dev.atpkeyserver.server.testing.Responses.statusOf;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import dev.atpkeyserver.lexicon.alpha.keypair.GetKeypair;
import dev.atpkeyserver.lexicon.alpha.keypair.GetPublicKey;
import dev.atpkeyserver.lexicon.alpha.keypair.ListVersions;
import dev.atpkeyserver.lexicon.alpha.keypair.Rotate;
import dev.atpkeyserver.lexicon.client.KeyserverClient;
import dev.atpkeyserver.server.testing.EachDatabase;
import dev.atpkeyserver.server.testing.KeyserverExtension;
import dev.atpkeyserver.server.testing.MutableClock;
import dev.atpkeyserver.server.testing.TestDatabase;
import dev.atpkeyserver.server.testing.TestServer;
import dev.atpkeyserver.server.testing.TestUser;
import dev.atpkeyserver.xrpc.client.XrpcClientException;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The contract's rate limits end to end, with small budgets. Mostly raw HTTP: the rate-limit
 * headers of a success are what these tests are about, and a typed call shows headers only on an
 * error. The server trusts 127.0.0.1 as a proxy, so each test sends its public requests from client
 * addresses of its own ({@code X-Forwarded-For}); authenticated budgets are per DID, and each test
 * has its own users. The clock stands still (at a round hour, an hour or so before the real time,
 * so tokens minted now stay valid) until a test moves it.
 */
class RateLimitApiTest {

  private static final String GET_KEYPAIR = "/xrpc/" + GetKeypair.NSID;
  private static final int PUBLIC_LIMIT = 5;
  private static final int AUTHENTICATED_LIMIT = 8;
  private static final int ROTATION_LIMIT = 2;

  // Only the clock's starting point: the tests move it by hand, never by the wall clock.
  @SuppressWarnings("TimeInStaticInitializer")
  private static final MutableClock clock =
      new MutableClock(Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(1)));

  private static final AtomicInteger addresses = new AtomicInteger();

  @RegisterExtension
  static final KeyserverExtension servers =
      new KeyserverExtension(
          Map.ofEntries(
              Map.entry("keyserver.trusted-proxies", "127.0.0.1"),
              // The first DID fetch of a cold JVM on a loaded machine can take seconds; a 401
              // from a slow fixture would fail these tests for the wrong reason.
              Map.entry("keyserver.did-resolver.timeout", "PT20S"),
              Map.entry("keyserver.rate-limit.enabled", "true"),
              Map.entry("keyserver.rate-limit.public.requests", String.valueOf(PUBLIC_LIMIT)),
              Map.entry("keyserver.rate-limit.public.window", "PT1M"),
              Map.entry(
                  "keyserver.rate-limit.authenticated.requests",
                  String.valueOf(AUTHENTICATED_LIMIT)),
              Map.entry("keyserver.rate-limit.authenticated.window", "PT1M"),
              Map.entry("keyserver.rate-limit.rotation.requests", String.valueOf(ROTATION_LIMIT)),
              Map.entry("keyserver.rate-limit.rotation.window", "PT1H"),
              Map.entry("keyserver.rate-limit.membership.requests", "3"),
              Map.entry("keyserver.rate-limit.membership.window", "PT1H")),
          clock);

  /** The same keyserver with the test default: limits off. */
  @RegisterExtension static final KeyserverExtension unlimited = new KeyserverExtension();

  /** A client address no other test uses. */
  private static String newClientIp() {
    return "198.51.100." + addresses.incrementAndGet();
  }

  private static HttpResponse<String> getFrom(TestServer server, String ip, String path) {
    return server.get(path, "X-Forwarded-For", ip);
  }

  /** {@code GET path} from {@code ip} with {@code Authorization: <authorization>}. */
  private static HttpResponse<String> getFrom(
      TestServer server, String ip, String path, String authorization) {
    return server.get(path, "X-Forwarded-For", ip, "Authorization", authorization);
  }

  /** {@code GET /xrpc/<nsid>} as {@code user}, raw, for the headers of its answer. */
  private static HttpResponse<String> callAs(TestServer server, TestUser user, String nsid) {
    return server.get(
        "/xrpc/" + nsid, "Authorization", "Bearer " + user.token(server.serviceDid(), nsid));
  }

  private static long header(HttpResponse<String> response, String name) {
    return header(response.headers(), name);
  }

  private static long header(HttpHeaders headers, String name) {
    return Long.parseLong(
        headers.firstValue(name).orElseThrow(() -> new AssertionError("no " + name + " header")));
  }

  private static void assertBudget(HttpResponse<String> response, long limit, long remaining) {
    assertBudget(response.headers(), limit, remaining);
  }

  private static void assertBudget(HttpHeaders headers, long limit, long remaining) {
    assertThat(header(headers, "X-RateLimit-Limit"), equalTo(limit));
    assertThat(header(headers, "X-RateLimit-Remaining"), equalTo(remaining));
    assertThat(headers.allValues("X-RateLimit-Remaining").size(), equalTo(1));
  }

  /** The end of the current fixed window of {@code window}, in epoch seconds. */
  private static long windowEnd(Duration window) {
    long length = window.toSeconds();
    return (clock.instant().getEpochSecond() / length + 1) * length;
  }

  @EachDatabase
  void everyResponseCarriesTheBudgetItSpent(TestDatabase db) {
    TestServer server = servers.on(db);
    String ip = newClientIp();

    HttpResponse<String> root = getFrom(server, ip, "/");
    HttpResponse<String> notFound = getFrom(server, ip, "/no/such/path");
    HttpResponse<String> notImplemented = getFrom(server, ip, "/xrpc/com.example.nothing");
    HttpResponse<String> wrongVerb = getFrom(server, ip, "/xrpc/" + Rotate.NSID);

    assertThat(root.statusCode(), equalTo(200));
    assertBudget(root, PUBLIC_LIMIT, 4);
    assertThat(header(root, "X-RateLimit-Reset"), equalTo(windowEnd(Duration.ofMinutes(1))));
    assertError(notFound, 404, "Not Found", "No such endpoint");
    assertBudget(notFound, PUBLIC_LIMIT, 3);
    assertThat(notImplemented.statusCode(), equalTo(501));
    assertBudget(notImplemented, PUBLIC_LIMIT, 2);
    assertThat(wrongVerb.statusCode(), equalTo(400));
    assertBudget(wrongVerb, PUBLIC_LIMIT, 1);
  }

  @EachDatabase
  void aFailedAuthenticationSpendsTheClientsPublicBudget(TestDatabase db) {
    TestServer server = servers.on(db);
    String ip = newClientIp();

    HttpResponse<String> noToken = getFrom(server, ip, GET_KEYPAIR);
    HttpResponse<String> badToken = getFrom(server, ip, GET_KEYPAIR, "Bearer not.a.token");

    assertThat(noToken.statusCode(), equalTo(401));
    assertThat(noToken.headers().firstValue("WWW-Authenticate").isPresent(), is(true));
    assertBudget(noToken, PUBLIC_LIMIT, 4);
    assertThat(badToken.statusCode(), equalTo(401));
    assertBudget(badToken, PUBLIC_LIMIT, 3);
  }

  @EachDatabase
  void publicReadsDoNotBlockAuthenticatedCallsFromTheSameAddressButBadTokensDo(TestDatabase db) {
    TestServer server = servers.on(db);
    String nat = newClientIp();
    TestUser user = servers.newUser();
    for (int i = 0; i < PUBLIC_LIMIT; i++) {
      ok(getFrom(server, nat, "/"));
    }
    assertThat(getFrom(server, nat, "/").statusCode(), equalTo(429));

    // A user behind the same address still gets their authenticated call (their DID's budget).
    KeyserverClient behindNat =
        new KeyserverClient(
            server
                .xrpc()
                .header("X-Forwarded-For", nat)
                .serviceAuth(user.tokensFor(server.serviceDid()))
                .build());
    assertThat(behindNat.keypairGetKeypair(activeKeypair()).version(), equalTo(1L));

    // An address that sent a budget's worth of bad tokens is refused before its next one is read.
    String flooder = newClientIp();
    for (int i = 0; i < PUBLIC_LIMIT; i++) {
      assertThat(getFrom(server, flooder, GET_KEYPAIR).statusCode(), equalTo(401));
    }
    KeyserverClient flooding =
        new KeyserverClient(
            server
                .xrpc()
                .header("X-Forwarded-For", flooder)
                .serviceAuth(user.tokensFor(server.serviceDid()))
                .build());
    assertThat(statusOf(() -> flooding.keypairGetKeypair(activeKeypair())), equalTo(429));
  }

  @EachDatabase
  void anAuthenticatedCallSpendsTheCallersBudgetAndReportsTheTightestClass(TestDatabase db) {
    TestServer server = servers.on(db);
    TestUser user = servers.newUser();

    HttpResponse<String> read = callAs(server, user, GetKeypair.NSID);
    HttpResponse<String> rotation =
        server.postJson(
            "/xrpc/" + Rotate.NSID,
            "{}",
            "Authorization",
            "Bearer " + user.token(server.serviceDid(), Rotate.NSID));

    ok(read);
    assertBudget(read, AUTHENTICATED_LIMIT, 7);
    assertThat(header(read, "X-RateLimit-Reset"), equalTo(windowEnd(Duration.ofMinutes(1))));
    ok(rotation);
    // Authenticated has 6 left, rotation 1: the rotation budget is reported.
    assertBudget(rotation, ROTATION_LIMIT, 1);
    assertThat(header(rotation, "X-RateLimit-Reset"), equalTo(windowEnd(Duration.ofHours(1))));
  }

  @EachDatabase
  void theRequestAfterThePublicLimitIs429WithRetryAfter(TestDatabase db) {
    TestServer server = servers.on(db);
    String ip = newClientIp();
    for (int i = 0; i < PUBLIC_LIMIT; i++) {
      ok(getFrom(server, ip, "/"));
    }

    HttpResponse<String> refused = getFrom(server, ip, "/");
    HttpResponse<String> publicKey =
        getFrom(server, ip, "/xrpc/" + GetPublicKey.NSID + "?did=did%3Aplc%3Aabc123");
    HttpResponse<String> badToken = getFrom(server, ip, GET_KEYPAIR, "Bearer not.a.token");
    HttpResponse<String> otherClient = getFrom(server, newClientIp(), "/");

    assertError(refused, 429, "Too Many Requests", "Rate limit exceeded");
    assertBudget(refused, PUBLIC_LIMIT, 0);
    assertThat(
        header(refused, "Retry-After"), allOf(greaterThanOrEqualTo(1L), lessThanOrEqualTo(60L)));
    assertThat(
        header(refused, "X-RateLimit-Reset") - clock.instant().getEpochSecond(),
        equalTo(header(refused, "Retry-After")));
    assertError(publicKey, 429, "Too Many Requests", "Rate limit exceeded");
    // Refused before its token is looked at: a spent address cannot make us fetch DID documents.
    assertError(badToken, 429, "Too Many Requests", "Rate limit exceeded");
    ok(otherClient);
    assertBudget(otherClient, PUBLIC_LIMIT, 4);
  }

  @EachDatabase
  void aRotationOverItsHourlyLimitIsRefusedAndCreatesNoVersion(TestDatabase db) {
    TestServer server = servers.on(db);
    TestUser user = servers.newUser();
    KeyserverClient api = server.as(user);
    for (int i = 0; i < ROTATION_LIMIT; i++) {
      api.keypairRotate(rotation());
    }

    XrpcClientException refused =
        assertError(
            () -> api.keypairRotate(rotation()), 429, "Too Many Requests", "Rate limit exceeded");

    assertBudget(refused.headers(), ROTATION_LIMIT, 0);
    assertThat(
        header(refused.headers(), "X-RateLimit-Reset"), equalTo(windowEnd(Duration.ofHours(1))));
    // The first rotation created version 1 and 2, the second version 3; the refused one nothing.
    long versions =
        server
            .database()
            .execute()
            .query("SELECT version FROM keypair_versions WHERE did = ?", user.did())
            .count();
    assertThat(versions, equalTo(3L));
    // Other authenticated calls still have their own budget.
    assertThat(api.keypairGetKeypair(activeKeypair()).version(), equalTo(3L));
  }

  @EachDatabase
  void oneUsersSpentBudgetDoesNotAffectAnother(TestDatabase db) {
    TestServer server = servers.on(db);
    TestUser alice = servers.newUser();
    TestUser bob = servers.newUser();
    KeyserverClient asAlice = server.as(alice);
    for (int i = 0; i < AUTHENTICATED_LIMIT; i++) {
      asAlice.keypairListVersions(keypairVersions());
    }

    XrpcClientException aliceRefused =
        assertError(
            () -> asAlice.keypairListVersions(keypairVersions()),
            429,
            "Too Many Requests",
            "Rate limit exceeded");
    HttpResponse<String> bobAnswered = callAs(server, bob, ListVersions.NSID);

    assertBudget(aliceRefused.headers(), AUTHENTICATED_LIMIT, 0);
    ok(bobAnswered);
    assertBudget(bobAnswered, AUTHENTICATED_LIMIT, AUTHENTICATED_LIMIT - 1);
  }

  @EachDatabase
  void aNewWindowRestoresTheBudget(TestDatabase db) {
    TestServer server = servers.on(db);
    String ip = newClientIp();
    for (int i = 0; i < PUBLIC_LIMIT; i++) {
      ok(getFrom(server, ip, "/"));
    }
    assertThat(getFrom(server, ip, "/").statusCode(), equalTo(429));

    clock.advance(Duration.ofMinutes(1));
    HttpResponse<String> next = getFrom(server, ip, "/");

    ok(next);
    assertBudget(next, PUBLIC_LIMIT, PUBLIC_LIMIT - 1);
    assertThat(header(next, "X-RateLimit-Reset"), equalTo(windowEnd(Duration.ofMinutes(1))));
  }

  @EachDatabase
  void ipv6ClientsAreCountedPerSlash64(TestDatabase db) {
    TestServer server = servers.on(db);
    int subnet = addresses.incrementAndGet();
    for (int i = 0; i < PUBLIC_LIMIT; i++) {
      ok(getFrom(server, "2001:db8:" + subnet + ":1::" + Integer.toHexString(i + 1), "/"));
    }

    HttpResponse<String> sameSlash64 = getFrom(server, "2001:db8:" + subnet + ":1:ffff::9", "/");
    HttpResponse<String> nextSlash64 = getFrom(server, "2001:db8:" + subnet + ":2::1", "/");

    assertThat(sameSlash64.statusCode(), equalTo(429));
    ok(nextSlash64);
  }

  @EachDatabase
  void observePathsAreNeitherLimitedNorCounted(TestDatabase db) {
    TestServer server = servers.on(db);
    String ip = newClientIp();
    for (int i = 0; i < PUBLIC_LIMIT; i++) {
      ok(getFrom(server, ip, "/"));
    }

    // The budget is spent, yet health checks still answer, without rate-limit headers.
    HttpResponse<String> observe = getFrom(server, ip, "/observe/health");

    assertThat(observe.statusCode(), equalTo(200));
    assertThat(observe.headers().firstValue("X-RateLimit-Limit").isPresent(), is(false));
  }

  @Test
  void disabledLimitsSendNoHeadersAndNever429() {
    TestServer server = unlimited.on(TestDatabase.H2);
    for (int i = 0; i < 150; i++) {
      HttpResponse<String> root = server.get("/");
      assertThat(root.statusCode(), equalTo(200));
      assertThat(root.headers().firstValue("X-RateLimit-Limit").isPresent(), is(false));
    }
    assertThat(
        server.get("/nope").headers().firstValue("X-RateLimit-Remaining").isPresent(), is(false));
  }
}
