package dev.atpkeyserver.server.accesslog;

import static dev.atpkeyserver.server.testing.ApiClient.encode;
import static dev.atpkeyserver.server.testing.Responses.assertError;
import static dev.atpkeyserver.server.testing.Responses.ok;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import dev.atpkeyserver.server.testing.ApiClient;
import dev.atpkeyserver.server.testing.ApiServers;
import dev.atpkeyserver.server.testing.DidDirectory;
import dev.atpkeyserver.server.testing.KeyserverExtension;
import dev.atpkeyserver.server.testing.TestDatabase;
import dev.atpkeyserver.server.testing.TestServer;
import dev.atpkeyserver.server.testing.TestUser;
import jakarta.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The access log: every key read recorded, read back newest first, on each database. */
class AccessLogApiTest {

  private static final DidDirectory directory = new DidDirectory();

  @RegisterExtension
  static final KeyserverExtension servers = ApiServers.resolvingThrough(directory);

  @RegisterExtension
  static final KeyserverExtension behindProxy =
      new KeyserverExtension(
          Map.of(
              "keyserver.plc-url",
              directory.url(),
              "keyserver.service-did",
              ApiClient.SERVICE_DID,
              "keyserver.trusted-proxies",
              "127.0.0.0/8"));

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void recordsEveryReadOfTheCallersKeysNewestFirst(TestDatabase db) {
    TestServer server = servers.on(db);
    TestUser alice = directory.publish(TestUser.plc());
    TestUser bob = directory.publish(TestUser.plc());
    ApiClient asAlice = new ApiClient(server, alice);
    ApiClient asBob = new ApiClient(server, bob);
    String group = alice.did() + "#friends";

    ok(asAlice.query("keypair.getKeypair", ""));
    ok(asAlice.procedure("keypair.rotate", "{}"));
    ok(
        server.get(
            "/xrpc/dev.atpkeyserver.alpha.keypair.getPublicKey?did="
                + encode(alice.did())
                + "&version=1"));
    ok(asAlice.query("group.getKey", "group_id=" + encode(group)));
    ok(
        asAlice.procedure(
            "group.addMember",
            "{\"group_id\":\"" + group + "\",\"member_did\":\"" + bob.did() + "\"}"));
    ok(asBob.query("group.getKey", "group_id=" + encode(group)));

    List<JsonObject> logs = logsOf(asAlice, "");

    assertThat(logs, hasSize(4));
    assertThat(
        logs.stream().map(l -> l.getString("key_type")).toList(),
        contains("group", "group", "keypair", "keypair"));
    assertThat(logs.stream().map(l -> l.getInt("version")).toList(), contains(1, 1, 1, 1));
    JsonObject bobsRead = logs.get(0);
    assertThat(bobsRead.getString("group_id"), equalTo(group));
    assertThat(bobsRead.getString("accessor_did"), equalTo(bob.did()));
    assertThat(bobsRead.getString("ip"), equalTo("127.0.0.1"));
    assertThat(bobsRead.getString("user_agent"), equalTo("keyserver-tests/1.0"));
    assertThat(bobsRead.getString("accessed_at").endsWith("Z"), equalTo(true));
    // Alice's own reads do not name her as an accessor; the anonymous read has no accessor.
    assertThat(logs.get(1).containsKey("accessor_did"), equalTo(false));
    assertThat(logs.get(2).containsKey("accessor_did"), equalTo(false));
    // Bob's log holds nothing: he owns no keys that were read.
    assertThat(logsOf(asBob, ""), hasSize(0));
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void limitBoundsTheAnswerAndBadLimitsAreRefused(TestDatabase db) {
    ApiClient user = new ApiClient(servers.on(db), directory.publish(TestUser.plc()));
    for (int i = 0; i < 3; i++) {
      ok(user.query("keypair.getKeypair", ""));
    }

    assertThat(logsOf(user, "limit=2"), hasSize(2));
    assertThat(logsOf(user, ""), hasSize(3));
    for (String limit : List.of("0", "-5", "1001", "abc", "2.5")) {
      assertError(user.query("accessLogs.getLogs", "limit=" + limit), 400, "Bad Request", "limit");
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void forwardedForIsIgnoredUnlessThePeerIsATrustedProxy(TestDatabase db) {
    String path = "/xrpc/dev.atpkeyserver.alpha.keypair.getPublicKey?did=";
    for (KeyserverExtension extension : List.of(servers, behindProxy)) {
      TestServer server = extension.on(db);
      TestUser user = directory.publish(TestUser.plc());
      ApiClient client = new ApiClient(server, user);
      ok(client.query("keypair.getKeypair", ""));

      ok(server.get(path + encode(user.did()), "X-Forwarded-For", "198.51.100.9, 203.0.113.5"));

      String expected = extension == servers ? "127.0.0.1" : "203.0.113.5";
      assertThat(logsOf(client, "limit=1").get(0).getString("ip"), equalTo(expected));
    }
  }

  private static List<JsonObject> logsOf(ApiClient user, String query) {
    return ok(user.query("accessLogs.getLogs", query))
        .getJsonArray("logs")
        .getValuesAs(JsonObject.class);
  }
}
