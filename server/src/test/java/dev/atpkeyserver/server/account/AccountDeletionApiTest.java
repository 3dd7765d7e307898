package dev.atpkeyserver.server.account;

import static dev.atpkeyserver.server.testing.Inputs.activeKeypair;
import static dev.atpkeyserver.server.testing.Inputs.addMember;
import static dev.atpkeyserver.server.testing.Inputs.deletion;
import static dev.atpkeyserver.server.testing.Inputs.groupKey;
import static dev.atpkeyserver.server.testing.Inputs.keypairVersions;
import static dev.atpkeyserver.server.testing.Inputs.logs;
import static dev.atpkeyserver.server.testing.Inputs.publicKeyOf;
import static dev.atpkeyserver.server.testing.Inputs.rotation;
import static dev.atpkeyserver.server.testing.Responses.assertError;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.atpkeyserver.lexicon.alpha.Defs;
import dev.atpkeyserver.lexicon.alpha.account.Delete;
import dev.atpkeyserver.lexicon.alpha.device.ClaimBundles;
import dev.atpkeyserver.lexicon.alpha.device.Revoke;
import dev.atpkeyserver.lexicon.client.KeyserverClient;
import dev.atpkeyserver.server.testing.DeviceKeys;
import dev.atpkeyserver.server.testing.EachDatabase;
import dev.atpkeyserver.server.testing.KeyserverExtension;
import dev.atpkeyserver.server.testing.TestDatabase;
import dev.atpkeyserver.server.testing.TestServer;
import dev.atpkeyserver.server.testing.TestUser;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.RegisterExtension;

/** GDPR deletion end to end, on each database, through the typed client. */
class AccountDeletionApiTest {

  @RegisterExtension static final KeyserverExtension keyserver = new KeyserverExtension();

  @EachDatabase
  void deletesEverythingAndReportsTheCounts(TestDatabase db) {
    TestServer server = keyserver.on(db);
    TestUser alice = keyserver.newUser();
    TestUser bob = keyserver.newUser();
    KeyserverClient asAlice = server.as(alice);
    KeyserverClient asBob = server.as(bob);
    String aliceGroup = alice.did() + "#friends";
    String bobGroup = bob.did() + "#team";

    asAlice.keypairGetKeypair(activeKeypair()); // log 1
    asAlice.keypairRotate(rotation()); // 2 keypair versions
    asAlice.keypairRotate(rotation()); // 3 keypair versions
    asAlice.groupGetKey(groupKey(aliceGroup)); // log 2
    asAlice.groupAddMember(addMember(aliceGroup, bob.did()));
    asBob.groupGetKey(groupKey(bobGroup)); // Bob's log
    asBob.groupAddMember(addMember(bobGroup, alice.did()));
    asAlice.groupGetKey(groupKey(bobGroup)); // Alice read, in Bob's log

    Delete.Output deletion = asAlice.accountDelete(deletion());

    assertThat(deletion.keys(), equalTo(3L));
    assertThat(deletion.groups(), equalTo(1L));
    assertThat(deletion.memberships(), equalTo(1L));
    assertThat(deletion.accessLogs(), equalTo(2L));
    assertThat(deletion.devices(), equalTo(0L));
    assertThat(deletion.preKeys(), equalTo(0L));

    assertError(
        () -> server.anonymous().keypairGetPublicKey(publicKeyOf(alice.did())),
        404,
        "Not Found",
        "User not found");
    assertError(() -> asBob.groupGetKey(groupKey(aliceGroup)), 404, "Not Found", "Group not found");
    // Alice's read of Bob's group stays in Bob's log, without her DID, IP or user agent (the
    // strict client checks that ip and user_agent are null and accessor_did is absent).
    List<Defs.AccessLog> bobsLog = asBob.accessLogsGetLogs(logs(50)).logs();
    assertThat(bobsLog.size(), equalTo(2));
    Defs.AccessLog alicesRead = bobsLog.get(0);
    assertThat(alicesRead.accessorDid(), equalTo(Optional.empty()));
    assertThat(alicesRead.ip(), equalTo(Optional.empty()));
    assertThat(alicesRead.userAgent(), equalTo(Optional.empty()));
    assertThat(asBob.groupGetKey(groupKey(bobGroup)).version(), equalTo(1L));
  }

  @EachDatabase
  void aWrongConfirmationIsRefusedAndDeletesNothing(TestDatabase db) {
    TestServer server = keyserver.on(db);
    TestUser carol = keyserver.newUser();
    KeyserverClient asCarol = server.as(carol);
    asCarol.keypairGetKeypair(activeKeypair());

    for (String confirmation : List.of("delete_all_my_data", "")) {
      assertError(
          () -> asCarol.accountDelete(new Delete.Input(confirmation)),
          400,
          "Bad Request",
          "confirmation");
    }
    // No confirmation at all, or not a string: bodies no typed call can send.
    String bearer = "Bearer " + carol.token(server.serviceDid(), Delete.NSID);
    for (String body : List.of("{}", "{\"confirmation\":5}")) {
      assertError(
          server.postJson("/xrpc/" + Delete.NSID, body, "Authorization", bearer),
          400,
          "Bad Request",
          "confirmation");
    }
    assertThat(asCarol.keypairListVersions(keypairVersions()).versions().size(), equalTo(1));
  }

  @EachDatabase
  void deletingAUserWithNothingStoredReportsZeros(TestDatabase db) {
    Delete.Output deletion = keyserver.on(db).as(keyserver.newUser()).accountDelete(deletion());
    assertThat(
        deletion.keys()
            + deletion.groups()
            + deletion.memberships()
            + deletion.accessLogs()
            + deletion.devices()
            + deletion.preKeys(),
        equalTo(0L));
  }

  @EachDatabase
  void deletesDevicesWithEveryPreKey(TestDatabase db) {
    TestServer server = keyserver.on(db);
    TestUser alice = keyserver.newUser();
    KeyserverClient asAlice = server.as(alice);
    KeyserverClient asBob = server.as(keyserver.newUser());
    DeviceKeys phone = DeviceKeys.generate();
    DeviceKeys laptop = DeviceKeys.generate();
    // Phone: signed prekey + last-resort key + 3 one-time prekeys, of which Bob claims one.
    asAlice.deviceRegister(
        phone.registration(
            "phone",
            phone.signedKey("s1"),
            DeviceKeys.oneTimeKeys("k", 3),
            Optional.of(phone.signedKey("lr"))));
    // Laptop: revoked, which deletes its prekeys; the revoked device itself stays until now.
    asAlice.deviceRegister(
        laptop.registration("laptop", laptop.signedKey("s1"), List.of(), Optional.empty()));
    asAlice.deviceRevoke(new Revoke.Input("laptop", "replaced"));
    ClaimBundles.Input claim = new ClaimBundles.Input(alice.did(), Optional.empty());
    asBob.deviceClaimBundles(claim);

    Delete.Output deletion = asAlice.accountDelete(deletion());

    assertThat(deletion.devices(), equalTo(2L));
    // Phone's signed prekey, last-resort key and 2 unclaimed one-time prekeys.
    assertThat(deletion.preKeys(), equalTo(4L));
    // Bob's claim was in Alice's log.
    assertThat(deletion.accessLogs(), equalTo(1L));
    assertError(() -> asBob.deviceClaimBundles(claim), 404, "Not Found", "No active devices");
    assertThat(
        asBob
            .deviceList(new dev.atpkeyserver.lexicon.alpha.device.List.Params(alice.did(), true))
            .devices()
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
    asAlice.deviceRegister(
        phone.registration("phone", phone.signedKey("s1"), List.of(), Optional.empty()));
  }
}
