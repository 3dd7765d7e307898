package dev.atpkeyserver.server.auth;

import static dev.atpkeyserver.server.testing.Inputs.keypairVersions;
import static dev.atpkeyserver.server.testing.Inputs.publicKeyOf;
import static dev.atpkeyserver.server.testing.Responses.assertError;
import static dev.atpkeyserver.server.testing.Responses.statusOf;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;

import dev.atpkeyserver.did.KeyCurve;
import dev.atpkeyserver.lexicon.alpha.keypair.ListVersions;
import dev.atpkeyserver.lexicon.alpha.keypair.Rotate;
import dev.atpkeyserver.lexicon.client.KeyserverClient;
import dev.atpkeyserver.server.testing.DidDirectory;
import dev.atpkeyserver.server.testing.KeyserverExtension;
import dev.atpkeyserver.server.testing.TestDatabase;
import dev.atpkeyserver.server.testing.TestServer;
import dev.atpkeyserver.server.testing.TestUser;
import dev.atpkeyserver.xrpc.client.XrpcClientException;
import java.time.Instant;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Service auth end to end: real ES256K and ES256 tokens, DID documents served by WireMock as the
 * PLC directory, and the keyserver's 401 answers for every kind of bad token, each sent through the
 * typed client as the token it carries.
 */
class ServiceAuthTest {

  private static final String SERVICE_DID = KeyserverExtension.SERVICE_DID;
  private static final String NSID = ListVersions.NSID;

  @RegisterExtension
  static final KeyserverExtension servers =
      new KeyserverExtension(
          Map.of(
              "keyserver.did-resolver.timeout", "PT2S",
              "keyserver.did-cache.min-refresh-interval", "PT0S",
              "keyserver.did-web.allow-local-hosts", "true"));

  private static final DidDirectory directory = servers.directory();
  private static final TestUser alice = servers.newUser(KeyCurve.SECP256K1);
  private static final TestUser bob = servers.newUser(KeyCurve.P256);

  private static TestServer server() {
    return servers.on(TestDatabase.H2);
  }

  @Test
  void acceptsAnEs256kTokenForADidPlcUser() {
    call(alice.token(SERVICE_DID, NSID));
  }

  @Test
  void acceptsAnEs256TokenForADidPlcUser() {
    call(bob.token(SERVICE_DID, NSID));
  }

  @Test
  void acceptsTheServiceFragmentAudienceAPdsProxySends() {
    call(alice.token(SERVICE_DID + "#atp_keyserver", NSID));
  }

  @Test
  void acceptsADidWebUserServedOverHttpOnLocalhost() throws Exception {
    // did:web:localhost%3A<port> is fetched from http://localhost:<port>/.well-known/did.json.
    try (DidDirectory webHost = new DidDirectory()) {
      String did =
          "did:web:localhost%3A" + webHost.url().substring(webHost.url().lastIndexOf(':') + 1);
      TestUser carol = TestUser.withDid(did, KeyCurve.SECP256K1);
      webHost.publishWeb(carol);
      call(carol.token(SERVICE_DID, NSID));
    }
  }

  @Test
  void acceptsAUserWhoRotatedTheirSigningKeyAfterAForcedRefresh() {
    TestUser dave = servers.newUser(KeyCurve.SECP256K1);
    call(dave.token(SERVICE_DID, NSID));
    int fetchesBefore = directory.fetchCount(dave);

    TestUser rotated = directory.publish(dave.withNewKey(KeyCurve.SECP256K1));
    call(rotated.token(SERVICE_DID, NSID));

    assertThat(directory.fetchCount(dave), equalTo(fetchesBefore + 1));
  }

  @Test
  void acceptsAUserWhoseNewKeyIsOnTheOtherCurve() {
    // The official verifier misses this case: the alg/curve mismatch throws before its refresh.
    TestUser erin = servers.newUser(KeyCurve.SECP256K1);
    call(erin.token(SERVICE_DID, NSID));

    TestUser rotated = directory.publish(erin.withNewKey(KeyCurve.P256));
    call(rotated.token(SERVICE_DID, NSID));
  }

  @Test
  void answersPromptlyWhenThePlcDirectoryIsDown() {
    TestUser frank = TestUser.plc();
    directory.failWith(frank, 503);
    long start = System.nanoTime();
    assertUnauthorized(frank.token(SERVICE_DID, NSID), "Could not resolve");
    assertThat((System.nanoTime() - start) / 1_000_000, lessThan(3_000L));
  }

  @Test
  void answersWithinTheTimeoutWhenThePlcDirectoryHangs() {
    TestUser grace = TestUser.plc();
    directory.delay(grace, 10_000);
    long start = System.nanoTime();
    assertUnauthorized(grace.token(SERVICE_DID, NSID), "Could not resolve");
    // The configured timeout is 2 s (1 s made a cold first fetch time out on a loaded machine);
    // the directory would answer only after 10 s.
    assertThat((System.nanoTime() - start) / 1_000_000, lessThan(4_000L));
  }

  @Test
  void neverEchoesTheTokenInTheErrorBody() {
    String token = alice.tokenBuilder(SERVICE_DID, NSID).claim("aud", "did:web:elsewhere").build();
    XrpcClientException refused = assertUnauthorized(token, "audience");
    // The strict client has checked the body holds only error and message.
    assertThat(refused.errorMessage().orElseThrow(), not(containsString(token.substring(0, 20))));
    assertThat(
        refused.headers().firstValue("WWW-Authenticate").orElse(""), containsString("Bearer"));
  }

  static Stream<Arguments> badTokens() {
    long now = Instant.now().getEpochSecond();
    TestUser mallory = TestUser.plc(KeyCurve.SECP256K1);
    TestUser noKeyUser = TestUser.plc();
    TestUser unknown = TestUser.plc();
    String noKeyDoc =
        """
        {"id":"%s","verificationMethod":[]}
        """
            .formatted(noKeyUser.did());
    directory.publish(noKeyUser, noKeyDoc);
    TestUser wrongIdUser = TestUser.plc();
    directory.publish(wrongIdUser, DidDirectory.documentFor(alice));

    return Stream.of(
        bad("expired", t -> t.claim("exp", now - 1).build(), "expired"),
        bad("wrong audience", t -> t.claim("aud", "did:web:other.test").build(), "audience"),
        bad(
            "audience with another fragment",
            t -> t.claim("aud", SERVICE_DID + "#atproto_labeler").build(),
            "audience"),
        bad("missing audience", t -> t.claim("aud", null).build(), "aud"),
        bad("wrong lxm", t -> t.claim("lxm", Rotate.NSID).build(), "lxm"),
        bad("missing lxm", t -> t.claim("lxm", null).build(), "lxm"),
        bad("numeric lxm", t -> t.claim("lxm", 5).build(), "lxm"),
        bad("typ at+jwt", t -> t.header("typ", "at+jwt").build(), "typ"),
        bad("typ refresh+jwt", t -> t.header("typ", "refresh+jwt").build(), "typ"),
        bad("typ dpop+jwt", t -> t.header("typ", "dpop+jwt").build(), "typ"),
        bad("alg none", t -> unsigned(t.header("alg", "none").build()), "ES256K or ES256"),
        bad("alg HS256", t -> t.header("alg", "HS256").build(), "ES256K or ES256"),
        bad("alg RS256", t -> t.header("alg", "RS256").build(), "ES256K or ES256"),
        bad("missing alg", t -> t.header("alg", null).build(), "alg"),
        bad("signed by another key", t -> t.signedBy(mallory).build(), "signature"),
        bad("ES256 header on a secp256k1 key", t -> t.header("alg", "ES256").build(), "algorithm"),
        bad("truncated signature", t -> truncate(t.build()), "signature"),
        bad("empty signature", t -> unsigned(t.build()), "signature"),
        bad("two parts", t -> twoParts(t.build()), "Malformed"),
        bad("four parts", t -> t.build() + ".extra", "Malformed"),
        bad("garbage", t -> "not-a-jwt", "Malformed"),
        bad(
            "header not JSON",
            t -> "bm90IGpzb24." + t.build().split("\\.", -1)[1] + ".c2ln",
            "Malformed"),
        bad("missing exp", t -> t.claim("exp", null).build(), "exp"),
        bad("string exp", t -> t.claim("exp", "tomorrow").build(), "exp"),
        bad("missing iss", t -> t.claim("iss", null).build(), "iss"),
        bad("issuer not a DID", t -> t.claim("iss", "alice.test").build(), "issuer"),
        bad("did:key issuer", t -> t.claim("iss", alice.signingKey().toDidKey()).build(), "issuer"),
        bad("did:example issuer", t -> t.claim("iss", "did:example:alice").build(), "issuer"),
        bad(
            "issuer with a service fragment",
            t -> t.claim("iss", alice.did() + "#atproto_labeler").build(),
            "issuer"),
        bad("unknown DID", t -> t.claim("iss", unknown.did()).build(), "Could not resolve"),
        bad(
            "DID document without atproto key",
            t -> t.claim("iss", noKeyUser.did()).build(),
            "signing key"),
        bad(
            "DID document with another id",
            t -> t.claim("iss", wrongIdUser.did()).build(),
            "Could not resolve"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badTokens")
  void refusesABadTokenWithItsReason(
      String name, Function<TestUser.Token, String> spoil, String reason) {
    String token = spoil.apply(alice.tokenBuilder(SERVICE_DID, NSID));
    assertUnauthorized(token, reason);
  }

  @Test
  void refusesARequestWithoutAuthorization() {
    assertError(
        () -> server().anonymous().keypairListVersions(keypairVersions()),
        401,
        "Unauthorized",
        "Missing service auth token");
  }

  @Test
  void refusesANonBearerAuthorization() {
    // Another scheme is not something the typed client sends: raw.
    assertError(
        server().get("/xrpc/" + NSID, "Authorization", "Basic YWxpY2U6cGFzcw=="),
        401,
        "Unauthorized",
        "Bearer");
  }

  @Test
  void letsAnonymousCallersReachTheOnePublicMethod() {
    assertThat(
        statusOf(() -> server().anonymous().keypairGetPublicKey(publicKeyOf(alice.did()))),
        equalTo(404));
  }

  private static Arguments bad(String name, Function<TestUser.Token, String> spoil, String reason) {
    return Arguments.of(name, spoil, reason);
  }

  private static String unsigned(String token) {
    return token.substring(0, token.lastIndexOf('.') + 1);
  }

  private static String truncate(String token) {
    return token.substring(0, token.length() - 10);
  }

  private static String twoParts(String token) {
    return token.substring(0, token.lastIndexOf('.'));
  }

  /** The typed client sending {@code token} as it is, whatever method it calls. */
  private static KeyserverClient withToken(String token) {
    return new KeyserverClient(server().xrpc().serviceAuth(lxm -> token).build());
  }

  /** Calls {@code keypair.listVersions} with {@code token}; a refusal fails the test. */
  private static void call(String token) {
    withToken(token).keypairListVersions(keypairVersions());
  }

  private static XrpcClientException assertUnauthorized(String token, String reason) {
    return assertError(
        () -> withToken(token).keypairListVersions(keypairVersions()), 401, "Unauthorized", reason);
  }
}
