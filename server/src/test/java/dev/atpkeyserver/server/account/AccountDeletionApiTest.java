package dev.atpkeyserver.server.account;

import static dev.atpkeyserver.server.testing.ApiClient.encode;
import static dev.atpkeyserver.server.testing.Responses.assertError;
import static dev.atpkeyserver.server.testing.Responses.ok;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.atpkeyserver.server.testing.ApiClient;
import dev.atpkeyserver.server.testing.ApiServers;
import dev.atpkeyserver.server.testing.DeviceKeys;
import dev.atpkeyserver.server.testing.DidDirectory;
import dev.atpkeyserver.server.testing.KeyserverExtension;
import dev.atpkeyserver.server.testing.TestDatabase;
import dev.atpkeyserver.server.testing.TestServer;
import dev.atpkeyserver.server.testing.TestUser;
import jakarta.json.JsonObject;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** GDPR deletion end to end, on each database. */
class AccountDeletionApiTest {

  private static final DidDirectory directory = new DidDirectory();

  @RegisterExtension
  static final KeyserverExtension servers = ApiServers.resolvingThrough(directory);

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void deletesEverythingAndReportsTheCounts(TestDatabase db) {
    TestServer server = servers.on(db);
    TestUser alice = directory.publish(TestUser.plc());
    TestUser bob = directory.publish(TestUser.plc());
    ApiClient asAlice = new ApiClient(server, alice);
    ApiClient asBob = new ApiClient(server, bob);
    String aliceGroup = alice.did() + "#friends";
    String bobGroup = bob.did() + "#team";

    ok(asAlice.query("keypair.getKeypair", "")); // log 1
    ok(asAlice.procedure("keypair.rotate", "{}")); // 2 keypair versions
    ok(asAlice.procedure("keypair.rotate", "{}")); // 3 keypair versions
    ok(asAlice.query("group.getKey", "group_id=" + encode(aliceGroup))); // log 2
    ok(asAlice.procedure("group.addMember", member(aliceGroup, bob.did())));
    ok(asBob.query("group.getKey", "group_id=" + encode(bobGroup))); // Bob's log
    ok(asBob.procedure("group.addMember", member(bobGroup, alice.did())));
    ok(asAlice.query("group.getKey", "group_id=" + encode(bobGroup))); // Alice read, in Bob's log

    JsonObject deletion =
        ok(asAlice.procedure("account.delete", "{\"confirmation\":\"DELETE_ALL_MY_DATA\"}"));

    assertThat(deletion.getInt("keys"), equalTo(3));
    assertThat(deletion.getInt("groups"), equalTo(1));
    assertThat(deletion.getInt("memberships"), equalTo(1));
    assertThat(deletion.getInt("accessLogs"), equalTo(2));
    assertThat(deletion.getInt("devices"), equalTo(0));
    assertThat(deletion.getInt("preKeys"), equalTo(0));

    String publicKey =
        "/xrpc/dev.atpkeyserver.alpha.keypair.getPublicKey?did=" + encode(alice.did());
    assertError(server.get(publicKey), 404, "Not Found", "User not found");
    assertError(
        asBob.query("group.getKey", "group_id=" + encode(aliceGroup)),
        404,
        "Not Found",
        "Group not found");
    // Alice's read of Bob's group stays in Bob's log, without her DID, IP or user agent.
    List<JsonObject> bobsLog =
        ok(asBob.query("accessLogs.getLogs", ""))
            .getJsonArray("logs")
            .getValuesAs(JsonObject.class);
    assertThat(bobsLog.size(), equalTo(2));
    JsonObject alicesRead = bobsLog.get(0);
    assertThat(alicesRead.containsKey("accessor_did"), equalTo(false));
    assertThat(alicesRead.isNull("ip"), equalTo(true));
    assertThat(alicesRead.isNull("user_agent"), equalTo(true));
    assertThat(
        ok(asBob.query("group.getKey", "group_id=" + encode(bobGroup))).getInt("version"),
        equalTo(1));
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void aWrongConfirmationIsRefusedAndDeletesNothing(TestDatabase db) {
    TestServer server = servers.on(db);
    TestUser carol = directory.publish(TestUser.plc());
    ApiClient asCarol = new ApiClient(server, carol);
    ok(asCarol.query("keypair.getKeypair", ""));

    for (String body :
        new String[] {
          "{\"confirmation\":\"delete_all_my_data\"}",
          "{\"confirmation\":\"\"}",
          "{}",
          "{\"confirmation\":5}"
        }) {
      assertError(asCarol.procedure("account.delete", body), 400, "Bad Request", "confirmation");
    }
    assertThat(
        ok(asCarol.query("keypair.listVersions", "")).getJsonArray("versions").size(), equalTo(1));
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void deletingAUserWithNothingStoredReportsZeros(TestDatabase db) {
    ApiClient nobody = new ApiClient(servers.on(db), directory.publish(TestUser.plc()));
    JsonObject deletion =
        ok(nobody.procedure("account.delete", "{\"confirmation\":\"DELETE_ALL_MY_DATA\"}"));
    assertThat(
        deletion.getInt("keys")
            + deletion.getInt("groups")
            + deletion.getInt("memberships")
            + deletion.getInt("accessLogs")
            + deletion.getInt("devices")
            + deletion.getInt("preKeys"),
        equalTo(0));
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void deletesDevicesWithEveryPreKey(TestDatabase db) {
    TestServer server = servers.on(db);
    TestUser alice = directory.publish(TestUser.plc());
    TestUser bob = directory.publish(TestUser.plc());
    ApiClient asAlice = new ApiClient(server, alice);
    ApiClient asBob = new ApiClient(server, bob);
    DeviceKeys phone = DeviceKeys.generate();
    DeviceKeys laptop = DeviceKeys.generate();
    // Phone: signed prekey + last-resort key + 3 one-time prekeys, of which Bob claims one.
    ok(
        asAlice.procedure(
            "device.register",
            phone
                .registration(
                    "phone",
                    Optional.empty(),
                    phone.signedKey("s1"),
                    DeviceKeys.oneTimeKeys("k", 3),
                    Optional.of(phone.signedKey("lr")))
                .toString()));
    // Laptop: revoked, which deletes its prekeys; the revoked device itself stays until now.
    ok(
        asAlice.procedure(
            "device.register",
            laptop
                .registration(
                    "laptop", Optional.empty(), laptop.signedKey("s1"), List.of(), Optional.empty())
                .toString()));
    ok(asAlice.procedure("device.revoke", "{\"deviceId\":\"laptop\",\"reason\":\"replaced\"}"));
    ok(asBob.procedure("device.claimBundles", "{\"did\":\"" + alice.did() + "\"}"));

    JsonObject deletion =
        ok(asAlice.procedure("account.delete", "{\"confirmation\":\"DELETE_ALL_MY_DATA\"}"));

    assertThat(deletion.getInt("devices"), equalTo(2));
    // Phone's signed prekey, last-resort key and 2 unclaimed one-time prekeys.
    assertThat(deletion.getInt("preKeys"), equalTo(4));
    // Bob's claim was in Alice's log.
    assertThat(deletion.getInt("accessLogs"), equalTo(1));
    assertError(
        asBob.procedure("device.claimBundles", "{\"did\":\"" + alice.did() + "\"}"),
        404,
        "Not Found",
        "No active devices");
    assertThat(
        ok(asBob.query("device.list", "did=" + encode(alice.did()) + "&includeRevoked=true"))
            .getJsonArray("devices")
            .size(),
        equalTo(0));
    for (String table : List.of("devices", "device_signed_prekeys", "device_one_time_prekeys")) {
      assertThat(
          table,
          server
              .database()
              .execute()
              .get("SELECT COUNT(*) AS n FROM " + table)
              .orElseThrow()
              .column("n")
              .getLong(),
          equalTo(0L));
    }
    // The same device id can be registered from scratch afterwards.
    ok(
        asAlice.procedure(
            "device.register",
            phone
                .registration(
                    "phone", Optional.empty(), phone.signedKey("s1"), List.of(), Optional.empty())
                .toString()));
  }

  private static String member(String group, String did) {
    return "{\"group_id\":\"" + group + "\",\"member_did\":\"" + did + "\"}";
  }
}
