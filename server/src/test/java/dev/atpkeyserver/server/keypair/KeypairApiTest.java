package dev.atpkeyserver.server.keypair;

import static dev.atpkeyserver.server.testing.RegexMatcher.matchesPattern;
import static dev.atpkeyserver.server.testing.Responses.assertError;
import static dev.atpkeyserver.server.testing.Responses.inParallel;
import static dev.atpkeyserver.server.testing.Responses.ok;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import dev.atpkeyserver.server.testing.ApiClient;
import dev.atpkeyserver.server.testing.ApiServers;
import dev.atpkeyserver.server.testing.DidDirectory;
import dev.atpkeyserver.server.testing.Json;
import dev.atpkeyserver.server.testing.KeyserverExtension;
import dev.atpkeyserver.server.testing.TestDatabase;
import dev.atpkeyserver.server.testing.TestServer;
import dev.atpkeyserver.server.testing.TestUser;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The keypair methods end to end, on each database. */
class KeypairApiTest {

  private static final String HEX_32 = "[0-9a-f]{64}";
  private static final String MILLIS_UTC = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z";

  private static final DidDirectory directory = new DidDirectory();

  @RegisterExtension
  static final KeyserverExtension servers = ApiServers.resolvingThrough(directory);

  private static ApiClient newUser(TestDatabase db) {
    return new ApiClient(servers.on(db), directory.publish(TestUser.plc()));
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void firstGetKeypairCreatesVersionOneAndLaterCallsReturnIt(TestDatabase db) {
    ApiClient user = newUser(db);

    JsonObject first = ok(user.query("keypair.getKeypair", ""));
    JsonObject again = ok(user.query("keypair.getKeypair", ""));

    assertThat(first.getInt("version"), equalTo(1));
    assertThat(first.getString("publicKey"), matchesPattern(HEX_32));
    assertThat(first.getString("privateKey"), matchesPattern(HEX_32));
    assertThat(again, equalTo(first));
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void rotateRevokesTheOldVersionWhichStaysReadable(TestDatabase db) {
    ApiClient user = newUser(db);
    JsonObject v1 = ok(user.query("keypair.getKeypair", ""));

    JsonObject rotation = ok(user.procedure("keypair.rotate", "{\"reason\":\"routine_rotation\"}"));
    JsonObject v2 = ok(user.query("keypair.getKeypair", ""));
    JsonObject oldAgain = ok(user.query("keypair.getKeypair", "version=1"));

    assertThat(rotation.getInt("oldVersion"), equalTo(1));
    assertThat(rotation.getInt("newVersion"), equalTo(2));
    assertThat(rotation.getString("rotatedAt"), matchesPattern(MILLIS_UTC));
    assertThat(v2.getInt("version"), equalTo(2));
    assertThat(v2.getString("privateKey"), not(equalTo(v1.getString("privateKey"))));
    assertThat(oldAgain, equalTo(v1));
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void listVersionsShowsNewestFirstWithStatusAndTimes(TestDatabase db) {
    ApiClient user = newUser(db);
    user.query("keypair.getKeypair", "");
    JsonObject rotation = ok(user.procedure("keypair.rotate", "{}"));

    JsonObject list = ok(user.query("keypair.listVersions", ""));

    List<JsonObject> versions = list.getJsonArray("versions").getValuesAs(JsonObject.class);
    assertThat(versions.stream().map(v -> v.getInt("version")).toList(), contains(2, 1));
    assertThat(versions.get(0).getString("status"), equalTo("active"));
    assertThat(versions.get(0).isNull("revoked_at"), equalTo(true));
    assertThat(versions.get(0).getString("created_at"), matchesPattern(MILLIS_UTC));
    assertThat(versions.get(1).getString("status"), equalTo("revoked"));
    assertThat(versions.get(1).getString("revoked_at"), equalTo(rotation.getString("rotatedAt")));
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void rotateOnAUserWithoutKeysCreatesVersionOneFirst(TestDatabase db) {
    JsonObject rotation = ok(newUser(db).procedure("keypair.rotate", "{}"));
    assertThat(rotation.getInt("oldVersion"), equalTo(1));
    assertThat(rotation.getInt("newVersion"), equalTo(2));
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void listVersionsOfAUserWithoutKeysIsEmpty(TestDatabase db) {
    assertThat(
        ok(newUser(db).query("keypair.listVersions", "")).getJsonArray("versions").size(),
        equalTo(0));
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void aVersionThatDoesNotExistIsNotFound(TestDatabase db) {
    ApiClient user = newUser(db);
    user.query("keypair.getKeypair", "");
    assertError(
        user.query("keypair.getKeypair", "version=7"), 404, "Not Found", "Key version not found");
    assertError(
        user.query("keypair.getKeypair", "version=99999999999"),
        404,
        "Not Found",
        "Key version not found");
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void aFirstCallForAnotherVersionCreatesNothing(TestDatabase db) {
    ApiClient user = newUser(db);
    assertError(
        user.query("keypair.getKeypair", "version=5"), 404, "Not Found", "Key version not found");
    assertThat(
        ok(user.query("keypair.listVersions", "")).getJsonArray("versions").size(), equalTo(0));
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void aVersionThatIsNotAPositiveIntegerIsABadRequest(TestDatabase db) {
    ApiClient user = newUser(db);
    for (String version : List.of("0", "-1", "abc", "1.5", "")) {
      HttpResponse<String> response = user.query("keypair.getKeypair", "version=" + version);
      assertThat(version, response.statusCode(), equalTo(400));
      assertThat(response.body(), containsString("\"error\":\"Bad Request\""));
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void anUnknownRotationReasonIsABadRequestAndChangesNothing(TestDatabase db) {
    ApiClient user = newUser(db);
    user.query("keypair.getKeypair", "");
    assertError(
        user.procedure("keypair.rotate", "{\"reason\":\"bored\"}"), 400, "Bad Request", "reason");
    assertThat(
        ok(user.query("keypair.listVersions", "")).getJsonArray("versions").size(), equalTo(1));
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void twentyParallelRotationsEndWithVersionsOneToTwentyOneAndOneActive(TestDatabase db)
      throws Exception {
    ApiClient user = newUser(db);
    user.query("keypair.getKeypair", "");

    List<HttpResponse<String>> responses =
        inParallel(20, () -> user.procedure("keypair.rotate", "{}"));

    for (HttpResponse<String> response : responses) {
      assertThat(response.body(), response.statusCode(), equalTo(200));
    }
    List<JsonObject> versions =
        ok(user.query("keypair.listVersions", ""))
            .getJsonArray("versions")
            .getValuesAs(JsonObject.class);
    List<Integer> numbers = versions.stream().map(v -> v.getInt("version")).toList();
    List<Integer> expected = new ArrayList<>();
    for (int v = 21; v >= 1; v--) {
      expected.add(v);
    }
    assertThat(numbers, equalTo(expected));
    assertThat(
        versions.stream().filter(v -> v.getString("status").equals("active")).count(), equalTo(1L));
    assertThat(versions.get(0).getString("status"), equalTo("active"));
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void twentyParallelFirstCallsCreateOneVersion(TestDatabase db) throws Exception {
    ApiClient user = newUser(db);

    List<HttpResponse<String>> responses =
        inParallel(20, () -> user.query("keypair.getKeypair", ""));

    String privateKey = Json.body(responses.get(0)).getString("privateKey");
    for (HttpResponse<String> response : responses) {
      assertThat(response.body(), response.statusCode(), equalTo(200));
      assertThat(Json.body(response).getString("privateKey"), equalTo(privateKey));
    }
    assertThat(
        ok(user.query("keypair.listVersions", "")).getJsonArray("versions").size(), equalTo(1));
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void getPublicKeyServesTheActiveOrARequestedVersionToAnyone(TestDatabase db) {
    TestServer server = servers.on(db);
    TestUser owner = directory.publish(TestUser.plc());
    ApiClient user = new ApiClient(server, owner);
    JsonObject v1 = ok(user.query("keypair.getKeypair", ""));
    user.procedure("keypair.rotate", "{}");
    JsonObject v2 = ok(user.query("keypair.getKeypair", ""));

    String path =
        "/xrpc/dev.atpkeyserver.alpha.keypair.getPublicKey?did=" + ApiClient.encode(owner.did());
    JsonObject active = ok(server.get(path));
    JsonObject first = ok(server.get(path + "&version=1"));

    assertThat(active.getString("publicKey"), equalTo(v2.getString("publicKey")));
    assertThat(active.getInt("version"), equalTo(2));
    assertThat(first.getString("publicKey"), equalTo(v1.getString("publicKey")));
    assertThat(first.getInt("version"), equalTo(1));
    assertThat(active.containsKey("privateKey"), equalTo(false));
    assertError(server.get(path + "&version=3"), 404, "Not Found", "Key version not found");
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void getPublicKeyAnswersTheContractsErrors(TestDatabase db) {
    TestServer server = servers.on(db);
    String path = "/xrpc/dev.atpkeyserver.alpha.keypair.getPublicKey";
    assertError(server.get(path + "?did=did:plc:abc123"), 404, "Not Found", "User not found");
    assertError(server.get(path + "?did=not-a-did"), 400, "Bad Request", "DID");
    assertError(
        server.get(path + "?did=did:key:zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme"),
        400,
        "Bad Request",
        "did:plc or did:web");
    assertError(server.get(path), 400, "Bad Request", "did");
    assertError(server.get(path + "?did=did:plc:abc123&version=0"), 400, "Bad Request", "version");
  }
}
