package dev.atpkeyserver.server.keypair;

import static dev.atpkeyserver.server.testing.Inputs.activeKeypair;
import static dev.atpkeyserver.server.testing.Inputs.keypairVersion;
import static dev.atpkeyserver.server.testing.Inputs.keypairVersions;
import static dev.atpkeyserver.server.testing.Inputs.publicKeyOf;
import static dev.atpkeyserver.server.testing.Inputs.rotation;
import static dev.atpkeyserver.server.testing.RegexMatcher.matchesPattern;
import static dev.atpkeyserver.server.testing.Responses.assertError;
import static dev.atpkeyserver.server.testing.Responses.inParallel;
import static dev.atpkeyserver.server.testing.Responses.ok;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import dev.atpkeyserver.lexicon.alpha.Defs;
import dev.atpkeyserver.lexicon.alpha.keypair.GetKeypair;
import dev.atpkeyserver.lexicon.alpha.keypair.GetPublicKey;
import dev.atpkeyserver.lexicon.alpha.keypair.Rotate;
import dev.atpkeyserver.lexicon.client.KeyserverClient;
import dev.atpkeyserver.server.testing.EachDatabase;
import dev.atpkeyserver.server.testing.KeyserverExtension;
import dev.atpkeyserver.server.testing.TestDatabase;
import dev.atpkeyserver.server.testing.TestServer;
import dev.atpkeyserver.server.testing.TestUser;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The keypair methods end to end, on each database, through the typed client; its strictness also
 * checks every answer's wire form (datetimes in UTC with milliseconds, nothing undeclared).
 */
class KeypairApiTest {

  private static final String HEX_32 = "[0-9a-f]{64}";

  @RegisterExtension static final KeyserverExtension keyserver = new KeyserverExtension();

  private static KeyserverClient newUser(TestDatabase db) {
    return keyserver.on(db).as(keyserver.newUser());
  }

  private static List<Defs.KeyVersion> versions(KeyserverClient user) {
    return user.keypairListVersions(keypairVersions()).versions();
  }

  @EachDatabase
  void firstGetKeypairCreatesVersionOneAndLaterCallsReturnIt(TestDatabase db) {
    KeyserverClient user = newUser(db);

    GetKeypair.Output first = user.keypairGetKeypair(activeKeypair());
    GetKeypair.Output again = user.keypairGetKeypair(activeKeypair());

    assertThat(first.version(), equalTo(1L));
    assertThat(first.publicKey(), matchesPattern(HEX_32));
    assertThat(first.privateKey(), matchesPattern(HEX_32));
    assertThat(again, equalTo(first));
  }

  @EachDatabase
  void rotateRevokesTheOldVersionWhichStaysReadable(TestDatabase db) {
    KeyserverClient user = newUser(db);
    GetKeypair.Output v1 = user.keypairGetKeypair(activeKeypair());

    Rotate.Output rotation = user.keypairRotate(new Rotate.Input("routine_rotation"));
    GetKeypair.Output v2 = user.keypairGetKeypair(activeKeypair());
    GetKeypair.Output oldAgain = user.keypairGetKeypair(keypairVersion(1));

    assertThat(rotation.oldVersion(), equalTo(1L));
    assertThat(rotation.newVersion(), equalTo(2L));
    assertThat(v2.version(), equalTo(2L));
    assertThat(v2.privateKey(), not(equalTo(v1.privateKey())));
    assertThat(oldAgain, equalTo(v1));
  }

  @EachDatabase
  void listVersionsShowsNewestFirstWithStatusAndTimes(TestDatabase db) {
    KeyserverClient user = newUser(db);
    user.keypairGetKeypair(activeKeypair());
    Rotate.Output rotation = user.keypairRotate(rotation());

    List<Defs.KeyVersion> versions = versions(user);

    assertThat(versions.stream().map(Defs.KeyVersion::version).toList(), contains(2L, 1L));
    assertThat(versions.get(0).status(), equalTo("active"));
    assertThat(versions.get(0).revokedAt(), equalTo(Optional.empty()));
    assertThat(versions.get(1).status(), equalTo("revoked"));
    assertThat(versions.get(1).revokedAt(), equalTo(Optional.of(rotation.rotatedAt())));
  }

  @EachDatabase
  void rotateOnAUserWithoutKeysCreatesVersionOneFirst(TestDatabase db) {
    Rotate.Output rotation = newUser(db).keypairRotate(rotation());
    assertThat(rotation.oldVersion(), equalTo(1L));
    assertThat(rotation.newVersion(), equalTo(2L));
  }

  @EachDatabase
  void aRotationMayLeaveTheBodyOut(TestDatabase db) {
    // The lexicon lets the body be empty or left out; the typed client always sends the reason.
    TestServer server = keyserver.on(db);
    TestUser user = keyserver.newUser();
    String bearer = "Bearer " + user.token(server.serviceDid(), Rotate.NSID);
    for (String body : List.of("{}", "")) {
      ok(server.postJson("/xrpc/" + Rotate.NSID, body, "Authorization", bearer));
    }

    assertThat(
        versions(server.as(user)).stream().map(Defs.KeyVersion::version).toList(),
        contains(3L, 2L, 1L));
  }

  @EachDatabase
  void listVersionsOfAUserWithoutKeysIsEmpty(TestDatabase db) {
    assertThat(versions(newUser(db)).size(), equalTo(0));
  }

  @EachDatabase
  void aVersionThatDoesNotExistIsNotFound(TestDatabase db) {
    KeyserverClient user = newUser(db);
    user.keypairGetKeypair(activeKeypair());
    assertError(
        () -> user.keypairGetKeypair(keypairVersion(7)), 404, "Not Found", "Key version not found");
    assertError(
        () -> user.keypairGetKeypair(keypairVersion(99999999999L)),
        404,
        "Not Found",
        "Key version not found");
  }

  @EachDatabase
  void aFirstCallForAnotherVersionCreatesNothing(TestDatabase db) {
    KeyserverClient user = newUser(db);
    assertError(
        () -> user.keypairGetKeypair(keypairVersion(5)), 404, "Not Found", "Key version not found");
    assertThat(versions(user).size(), equalTo(0));
  }

  @EachDatabase
  void aVersionThatIsNotAPositiveIntegerIsABadRequest(TestDatabase db) {
    // Not integers at all cannot be typed: these go raw, the integers through the client.
    TestServer server = keyserver.on(db);
    TestUser owner = keyserver.newUser();
    KeyserverClient user = server.as(owner);
    for (long version : List.of(0L, -1L)) {
      assertError(() -> user.keypairGetKeypair(keypairVersion(version)), 400, "Bad Request", "");
    }
    for (String version : List.of("abc", "1.5", "")) {
      HttpResponse<String> response =
          server.get(
              "/xrpc/" + GetKeypair.NSID + "?version=" + version,
              "Authorization",
              "Bearer " + owner.token(server.serviceDid(), GetKeypair.NSID));
      assertThat(version, response.statusCode(), equalTo(400));
      assertThat(response.body(), containsString("\"error\":\"Bad Request\""));
    }
  }

  @EachDatabase
  void anUnknownRotationReasonIsABadRequestAndChangesNothing(TestDatabase db) {
    KeyserverClient user = newUser(db);
    user.keypairGetKeypair(activeKeypair());
    assertError(() -> user.keypairRotate(new Rotate.Input("bored")), 400, "Bad Request", "reason");
    assertThat(versions(user).size(), equalTo(1));
  }

  @EachDatabase
  void twentyParallelRotationsEndWithVersionsOneToTwentyOneAndOneActive(TestDatabase db)
      throws Exception {
    KeyserverClient user = newUser(db);
    user.keypairGetKeypair(activeKeypair());

    // Every rotation answers 200, or the typed call throws and fails the test.
    inParallel(20, () -> user.keypairRotate(rotation()));

    List<Defs.KeyVersion> versions = versions(user);
    List<Long> expected = new ArrayList<>();
    for (long v = 21; v >= 1; v--) {
      expected.add(v);
    }
    assertThat(versions.stream().map(Defs.KeyVersion::version).toList(), equalTo(expected));
    assertThat(versions.stream().filter(v -> v.status().equals("active")).count(), equalTo(1L));
    assertThat(versions.get(0).status(), equalTo("active"));
  }

  @EachDatabase
  void twentyParallelFirstCallsCreateOneVersion(TestDatabase db) throws Exception {
    KeyserverClient user = newUser(db);

    List<GetKeypair.Output> keypairs =
        inParallel(20, () -> user.keypairGetKeypair(activeKeypair()));

    for (GetKeypair.Output keypair : keypairs) {
      assertThat(keypair.privateKey(), equalTo(keypairs.get(0).privateKey()));
    }
    assertThat(versions(user).size(), equalTo(1));
  }

  @EachDatabase
  void getPublicKeyServesTheActiveOrARequestedVersionToAnyone(TestDatabase db) {
    TestServer server = keyserver.on(db);
    TestUser owner = keyserver.newUser();
    KeyserverClient user = server.as(owner);
    GetKeypair.Output v1 = user.keypairGetKeypair(activeKeypair());
    user.keypairRotate(rotation());
    GetKeypair.Output v2 = user.keypairGetKeypair(activeKeypair());
    KeyserverClient anyone = server.anonymous();

    GetPublicKey.Output active = anyone.keypairGetPublicKey(publicKeyOf(owner.did()));
    GetPublicKey.Output first = anyone.keypairGetPublicKey(publicKeyOf(owner.did(), 1));

    assertThat(active.publicKey(), equalTo(v2.publicKey()));
    assertThat(active.version(), equalTo(2L));
    assertThat(first.publicKey(), equalTo(v1.publicKey()));
    assertThat(first.version(), equalTo(1L));
    // No private key: the strict client refuses any member getPublicKey does not declare.
    assertError(
        () -> anyone.keypairGetPublicKey(publicKeyOf(owner.did(), 3)),
        404,
        "Not Found",
        "Key version not found");
  }

  @EachDatabase
  void getPublicKeyAnswersTheContractsErrors(TestDatabase db) {
    KeyserverClient anyone = keyserver.on(db).anonymous();
    assertError(
        () -> anyone.keypairGetPublicKey(publicKeyOf("did:plc:abc123")),
        404,
        "Not Found",
        "User not found");
    assertError(
        () -> anyone.keypairGetPublicKey(publicKeyOf("not-a-did")), 400, "Bad Request", "DID");
    assertError(
        () ->
            anyone.keypairGetPublicKey(
                publicKeyOf("did:key:zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme")),
        400,
        "Bad Request",
        "did:plc or did:web");
    // A missing required parameter cannot be typed.
    assertError(keyserver.on(db).get("/xrpc/" + GetPublicKey.NSID), 400, "Bad Request", "did");
    assertError(
        () -> anyone.keypairGetPublicKey(publicKeyOf("did:plc:abc123", 0)),
        400,
        "Bad Request",
        "version");
  }
}
