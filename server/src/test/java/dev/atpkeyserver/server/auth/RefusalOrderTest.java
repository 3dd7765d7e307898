package dev.atpkeyserver.server.auth;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.atpkeyserver.did.Did;
import dev.atpkeyserver.did.DidDocument;
import dev.atpkeyserver.did.DidNotFoundException;
import dev.atpkeyserver.did.DidResolver;
import dev.atpkeyserver.did.KeyCurve;
import dev.atpkeyserver.lexicon.alpha.keypair.ListVersions;
import dev.atpkeyserver.lexicon.alpha.keypair.Rotate;
import dev.atpkeyserver.server.auth.AuthenticationException.Reason;
import dev.atpkeyserver.server.testing.DidDirectory;
import dev.atpkeyserver.server.testing.TestUser;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Reason} lists the refusals in the order {@link ServiceAuthVerifier} checks them: a token
 * spoiled in two ways is refused for the reason listed first. Each reason has one spoiling of a
 * valid token; every pair of spoilings that touch different parts of the token is tried together.
 * {@link Reason#MISSING_TOKEN} is decided before the verifier runs, by {@code
 * RequestAuthenticator}.
 */
class RefusalOrderTest {

  private static final String SERVICE_DID = "did:web:keyserver.test";
  private static final String NSID = ListVersions.NSID;

  private static final TestUser alice = TestUser.plc(KeyCurve.SECP256K1);
  private static final TestUser mallory = TestUser.plc(KeyCurve.SECP256K1);
  private static final TestUser keyless = TestUser.plc();
  private static final TestUser unknown = TestUser.plc();

  private static final Map<String, DidDocument> DOCUMENTS =
      Map.of(
          alice.did(),
          document(alice.did(), DidDirectory.documentFor(alice)),
          keyless.did(),
          document(keyless.did(), "{\"id\":\"" + keyless.did() + "\",\"verificationMethod\":[]}"));

  private static final DidResolver RESOLVER =
      (did, forceRefresh) -> {
        DidDocument document = DOCUMENTS.get(did.toString());
        if (document == null) {
          throw new DidNotFoundException(did, 404);
        }
        return document;
      };

  /**
   * One way to spoil a token for each reason, in {@link Reason} order.
   *
   * @param reason the refusal it causes alone
   * @param part the header field or claim it changes; two spoilings of one part cannot be combined
   * @param spoil the change
   */
  private record Spoiling(Reason reason, String part, UnaryOperator<TestUser.Token> spoil) {}

  private static final List<Spoiling> SPOILINGS =
      List.of(
          new Spoiling(Reason.BAD_TOKEN, "header.alg", t -> t.header("alg", null)),
          new Spoiling(Reason.BAD_TOKEN_TYPE, "header.typ", t -> t.header("typ", "at+jwt")),
          new Spoiling(
              Reason.EXPIRED, "exp", t -> t.claim("exp", Instant.now().getEpochSecond() - 1)),
          new Spoiling(Reason.WRONG_AUDIENCE, "aud", t -> t.claim("aud", "did:web:other.test")),
          new Spoiling(Reason.MISSING_METHOD, "lxm", t -> t.claim("lxm", null)),
          new Spoiling(Reason.WRONG_METHOD, "lxm", t -> t.claim("lxm", Rotate.NSID)),
          new Spoiling(Reason.BAD_ISSUER, "iss", t -> t.claim("iss", "did:example:alice")),
          new Spoiling(Reason.UNSUPPORTED_ALGORITHM, "header.alg", t -> t.header("alg", "HS256")),
          new Spoiling(Reason.UNRESOLVABLE_ISSUER, "iss", t -> t.claim("iss", unknown.did())),
          new Spoiling(Reason.ISSUER_WITHOUT_KEY, "iss", t -> t.claim("iss", keyless.did())),
          new Spoiling(Reason.ALGORITHM_MISMATCH, "header.alg", t -> t.header("alg", "ES256")),
          new Spoiling(Reason.BAD_SIGNATURE, "signature", t -> t.signedBy(mallory)));

  private final ServiceAuthVerifier verifier =
      new ServiceAuthVerifier(RESOLVER, SERVICE_DID, Clock.systemUTC());

  @Test
  void everyReasonButMissingTokenHasItsSpoilingInOrder() {
    List<Reason> reasons = new ArrayList<>(List.of(Reason.values()));
    reasons.remove(Reason.MISSING_TOKEN);

    assertThat(SPOILINGS.stream().map(Spoiling::reason).toList(), equalTo(reasons));
  }

  @Test
  void anUnspoiledTokenVerifies() throws AuthenticationException {
    assertThat(
        verifier.verify(alice.token(SERVICE_DID, NSID), NSID).toString(), equalTo(alice.did()));
  }

  static Stream<Arguments> spoilings() {
    return SPOILINGS.stream().map(s -> Arguments.of(s.reason(), s));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("spoilings")
  void eachSpoilingAloneIsRefusedForItsReason(Reason reason, Spoiling spoiling) {
    assertThat(refusal(List.of(spoiling)), equalTo(reason));
  }

  static Stream<Arguments> pairs() {
    List<Arguments> pairs = new ArrayList<>();
    for (int i = 0; i < SPOILINGS.size(); i++) {
      for (int j = i + 1; j < SPOILINGS.size(); j++) {
        Spoiling first = SPOILINGS.get(i);
        Spoiling later = SPOILINGS.get(j);
        if (!first.part().equals(later.part())) {
          pairs.add(Arguments.of(first.reason() + " before " + later.reason(), first, later));
        }
      }
    }
    return pairs.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pairs")
  void aTokenSpoiledTwiceIsRefusedForTheReasonListedFirst(
      String name, Spoiling first, Spoiling later) {
    // Applied in both orders: the order of the changes must not matter, only the checks'.
    assertThat(refusal(List.of(later, first)), equalTo(first.reason()));
    assertThat(refusal(List.of(first, later)), equalTo(first.reason()));
  }

  private Reason refusal(List<Spoiling> spoilings) {
    TestUser.Token token = alice.tokenBuilder(SERVICE_DID, NSID);
    for (Spoiling spoiling : spoilings) {
      token = spoiling.spoil().apply(token);
    }
    String jwt = token.build();
    return assertThrows(AuthenticationException.class, () -> verifier.verify(jwt, NSID)).reason();
  }

  private static DidDocument document(String did, String json) {
    try {
      return DidDocument.parse(Did.parse(did), json.getBytes(StandardCharsets.UTF_8));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
