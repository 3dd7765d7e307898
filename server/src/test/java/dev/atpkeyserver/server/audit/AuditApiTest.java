package dev.atpkeyserver.server.audit;

import static dev.atpkeyserver.server.testing.Inputs.activeKeypair;
import static dev.atpkeyserver.server.testing.Inputs.addMember;
import static dev.atpkeyserver.server.testing.Inputs.groupKey;
import static dev.atpkeyserver.server.testing.Inputs.groupRotation;
import static dev.atpkeyserver.server.testing.Inputs.logs;
import static dev.atpkeyserver.server.testing.Inputs.publicKeyOf;
import static dev.atpkeyserver.server.testing.Inputs.removeMember;
import static dev.atpkeyserver.server.testing.Inputs.rotation;
import static dev.atpkeyserver.server.testing.Responses.assertError;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;

import dev.atpkeyserver.lexicon.alpha.audit.ListEvents;
import dev.atpkeyserver.lexicon.alpha.backup.Defs;
import dev.atpkeyserver.lexicon.alpha.backup.Get;
import dev.atpkeyserver.lexicon.alpha.backup.Put;
import dev.atpkeyserver.lexicon.alpha.device.ClaimBundles;
import dev.atpkeyserver.lexicon.alpha.device.Revoke;
import dev.atpkeyserver.lexicon.alpha.group.GetWrappedKey;
import dev.atpkeyserver.lexicon.alpha.group.PutWrappedKeys;
import dev.atpkeyserver.lexicon.client.KeyserverClient;
import dev.atpkeyserver.server.testing.DeviceKeys;
import dev.atpkeyserver.server.testing.EachDatabase;
import dev.atpkeyserver.server.testing.KeyserverExtension;
import dev.atpkeyserver.server.testing.TestDatabase;
import dev.atpkeyserver.server.testing.TestServer;
import dev.atpkeyserver.server.testing.TestUser;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The audit log end to end, on each database, through the typed client. */
class AuditApiTest {

  @RegisterExtension static final KeyserverExtension keyserver = new KeyserverExtension();

  /** Alice, who owns everything, and Bob, a member of her group. */
  private record Cast(
      TestServer server,
      TestUser aliceUser,
      KeyserverClient alice,
      KeyserverClient bob,
      String aliceDid,
      String bobDid,
      String groupId) {
    static Cast on(TestDatabase db) {
      TestServer server = keyserver.on(db);
      TestUser alice = keyserver.newUser();
      TestUser bob = keyserver.newUser();
      return new Cast(
          server,
          alice,
          server.as(alice),
          server.as(bob),
          alice.did(),
          bob.did(),
          alice.did() + "#team");
    }

    /** One operation of every kind this branch audits, on Alice's keys, group and backup. */
    void doEverything() {
      alice.keypairGetKeypair(activeKeypair());
      alice.keypairRotate(rotation());
      server.anonymous().keypairGetPublicKey(publicKeyOf(aliceDid));
      alice.groupGetKey(groupKey(groupId));
      alice.groupAddMember(addMember(groupId, bobDid));
      bob.groupGetKey(groupKey(groupId));
      alice.groupRotateKey(groupRotation(groupId));
      alice.groupPutWrappedKeys(
          new PutWrappedKeys.Input(
              groupId,
              "k1",
              List.of(new PutWrappedKeys.WrappedKeyInput(bobDid, Optional.empty(), "AAAA"))));
      bob.groupGetWrappedKey(new GetWrappedKey.Params(groupId, Optional.empty()));
      alice.groupRemoveMember(removeMember(groupId, bobDid));
      Put.Input backup =
          new Put.Input(
              "AAAA",
              new Defs.EncryptionMetadata(
                  "aes-256-gcm", Optional.empty(), Optional.empty(), "AAAAAAAAAAAAAAAA", ""),
              "709e80c88487a2411e1ee4dfb9f22a861492d20c4765150c0c794abd70f8147c",
              Optional.empty());
      alice.backupPut(backup);
      alice.backupPut(backup);
      alice.backupGet(new Get.Params(Optional.empty()));
      alice.backupDelete();
    }
  }

  static ListEvents.Params query(
      Optional<String> action, Optional<Instant> since, Optional<Instant> until, long limit) {
    return new ListEvents.Params(action, since, until, limit, Optional.empty());
  }

  static List<ListEvents.Event> all(KeyserverClient who) {
    return who.auditListEvents(query(Optional.empty(), Optional.empty(), Optional.empty(), 100))
        .events();
  }

  @EachDatabase
  void everyOperationOnTheCallersThingsIsRecordedOnce(TestDatabase db) {
    Cast cast = Cast.on(db);
    cast.doEverything();

    List<ListEvents.Event> events = all(cast.alice());

    assertThat(
        events.stream().map(ListEvents.Event::action).toList(),
        containsInAnyOrder(
            "keypair.created",
            "keypair.read",
            "keypair.rotated",
            "publicKey.read",
            "groupKey.created",
            "groupKey.read",
            "group.memberAdded",
            "groupKey.read",
            "groupKey.rotated",
            "wrappedKeys.put",
            "wrappedKeys.read",
            "group.memberRemoved",
            "backup.created",
            "backup.updated",
            "backup.read",
            "backup.deleted"));
    for (ListEvents.Event event : events) {
      boolean byAlice = event.actorDid().equals(Optional.of(cast.aliceDid()));
      if (!byAlice) {
        // Someone else's address is theirs: never in Alice's log.
        assertThat(event.action(), event.ip(), equalTo(Optional.empty()));
        assertThat(event.action(), event.userAgent(), equalTo(Optional.empty()));
      } else if (!event.action().endsWith(".created") || event.action().startsWith("backup")) {
        assertThat(event.action(), event.ip().isPresent(), equalTo(true));
        assertThat(event.action(), event.userAgent(), equalTo(Optional.of(TestServer.USER_AGENT)));
      }
    }
    ListEvents.Event publicRead = only(events, "publicKey.read");
    assertThat(publicRead.actorDid(), equalTo(Optional.empty()));
    assertThat(publicRead.subject().version(), equalTo(Optional.of(2L)));
    List<ListEvents.Event> groupReads =
        events.stream().filter(e -> e.action().equals("groupKey.read")).toList();
    assertThat(
        groupReads.stream().map(e -> e.actorDid().orElseThrow()).toList(),
        containsInAnyOrder(cast.aliceDid(), cast.bobDid()));
    ListEvents.Event rotated = only(events, "groupKey.rotated");
    assertThat(rotated.subject().groupId(), equalTo(Optional.of(cast.groupId())));
    assertThat(rotated.subject().version(), equalTo(Optional.of(2L)));
    assertThat(rotated.details().orElseThrow().getString("reason"), equalTo("user_requested"));
    assertThat(rotated.details().orElseThrow().getInt("oldVersion"), equalTo(1));
    assertThat(
        only(events, "group.memberAdded").subject().memberDid(),
        equalTo(Optional.of(cast.bobDid())));
    ListEvents.Event wrappedRead = only(events, "wrappedKeys.read");
    assertThat(wrappedRead.actorDid(), equalTo(Optional.of(cast.bobDid())));
    assertThat(wrappedRead.subject().keyId(), equalTo(Optional.of("k1")));
    assertThat(only(events, "wrappedKeys.put").details().orElseThrow().getInt("count"), equalTo(1));
    assertThat(only(events, "backup.updated").subject().version(), equalTo(Optional.of(2L)));

    // Bob did things to Alice's group, not to anything of his: his log is empty.
    assertThat(all(cast.bob()), empty());
  }

  @EachDatabase
  void deviceOperationsAreRecordedForTheDevicesOwner(TestDatabase db) {
    Cast cast = Cast.on(db);
    DeviceKeys phone = DeviceKeys.generate();
    cast.alice()
        .deviceRegister(
            phone.registration(
                "phone", phone.signedKey("s1"), DeviceKeys.oneTimeKeys("k", 2), Optional.empty()));
    cast.alice()
        .deviceUploadPreKeys(
            DeviceKeys.upload(
                "phone",
                Optional.of(phone.signedKey("s2")),
                DeviceKeys.oneTimeKeys("m", 3),
                Optional.empty()));
    cast.bob().deviceClaimBundles(new ClaimBundles.Input(cast.aliceDid(), Optional.empty()));
    cast.alice().deviceRevoke(new Revoke.Input("phone", "lost"));

    List<ListEvents.Event> events = all(cast.alice());

    assertThat(
        events.stream().map(ListEvents.Event::action).toList(),
        containsInAnyOrder(
            "device.registered", "prekeys.uploaded", "bundle.claimed", "device.revoked"));
    for (ListEvents.Event event : events) {
      assertThat(event.subject().deviceId(), equalTo(Optional.of("phone")));
    }
    ListEvents.Event claimed = only(events, "bundle.claimed");
    // The claimer is named; their address is not Alice's to see.
    assertThat(claimed.actorDid(), equalTo(Optional.of(cast.bobDid())));
    assertThat(claimed.ip(), equalTo(Optional.empty()));
    assertThat(claimed.details().orElseThrow().getBoolean("oneTimePreKey"), equalTo(true));
    ListEvents.Event uploaded = only(events, "prekeys.uploaded");
    assertThat(uploaded.ip().isPresent(), equalTo(true));
    assertThat(uploaded.details().orElseThrow().getInt("oneTimePreKeys"), equalTo(3));
    assertThat(
        only(events, "device.revoked").details().orElseThrow().getString("reason"),
        equalTo("lost"));
    // Bob claimed someone else's bundle: nothing in his log.
    assertThat(all(cast.bob()), empty());
  }

  @EachDatabase
  void pagesFiltersAndTimeRanges(TestDatabase db) {
    Cast cast = Cast.on(db);
    cast.doEverything();
    List<ListEvents.Event> everything = all(cast.alice());

    List<ListEvents.Event> paged = new ArrayList<>();
    Optional<String> cursor = Optional.empty();
    int pages = 0;
    do {
      ListEvents.Output page =
          cast.alice()
              .auditListEvents(
                  new ListEvents.Params(
                      Optional.empty(), Optional.empty(), Optional.empty(), 5, cursor));
      paged.addAll(page.events());
      cursor = page.cursor();
      pages++;
    } while (cursor.isPresent());

    assertThat(pages, equalTo(4));
    assertThat(paged, equalTo(everything));
    assertThat(new HashSet<>(paged).size(), equalTo(16));
    assertThat(
        cast.alice()
            .auditListEvents(
                query(Optional.of("backup.read"), Optional.empty(), Optional.empty(), 50))
            .events()
            .size(),
        equalTo(1));
    Instant oldest = everything.get(everything.size() - 1).createdAt();
    Instant newest = everything.get(0).createdAt();
    assertThat(
        cast.alice()
            .auditListEvents(query(Optional.empty(), Optional.of(oldest), Optional.of(newest), 100))
            .events(),
        equalTo(everything));
    assertThat(
        cast.alice()
            .auditListEvents(
                query(Optional.empty(), Optional.of(newest.plusMillis(1)), Optional.empty(), 100))
            .events(),
        empty());
    assertThat(
        cast.alice()
            .auditListEvents(
                query(Optional.empty(), Optional.empty(), Optional.of(oldest.minusMillis(1)), 100))
            .events(),
        empty());
  }

  @EachDatabase
  void badQueriesAreBadRequests(TestDatabase db) {
    Cast cast = Cast.on(db);
    cast.alice().keypairGetKeypair(activeKeypair());
    Instant now = Instant.now();
    assertError(
        () ->
            cast.alice()
                .auditListEvents(
                    query(Optional.of("keypair.stolen"), Optional.empty(), Optional.empty(), 50)),
        400,
        "Bad Request",
        "action");
    assertError(
        () ->
            cast.alice()
                .auditListEvents(
                    query(
                        Optional.empty(),
                        Optional.of(now),
                        Optional.of(now.minus(Duration.ofSeconds(1))),
                        50)),
        400,
        "Bad Request",
        "until");
    for (long limit : List.of(0L, 101L)) {
      assertError(
          () ->
              cast.alice()
                  .auditListEvents(
                      query(Optional.empty(), Optional.empty(), Optional.empty(), limit)),
          400,
          "Bad Request",
          "limit");
    }
    // A cursor of another method, and junk.
    cast.alice().keypairRotate(rotation());
    cast.alice().keypairGetKeypair(activeKeypair());
    String logsCursor = cast.alice().accessLogsGetLogs(logs(1)).cursor().orElseThrow();
    for (String cursor : List.of(logsCursor, "AAAA")) {
      assertError(
          () ->
              cast.alice()
                  .auditListEvents(
                      new ListEvents.Params(
                          Optional.empty(),
                          Optional.empty(),
                          Optional.empty(),
                          50,
                          Optional.of(cursor))),
          400,
          "Bad Request",
          "Invalid cursor");
    }
    // Not a datetime: a query no typed call can send.
    assertError(
        cast.server()
            .get(
                "/xrpc/" + ListEvents.NSID + "?since=yesterday",
                "Authorization",
                "Bearer " + cast.aliceUser().token(cast.server().serviceDid(), ListEvents.NSID)),
        400,
        "Bad Request",
        "since");
  }

  private static ListEvents.Event only(List<ListEvents.Event> events, String action) {
    List<ListEvents.Event> matching =
        events.stream().filter(e -> e.action().equals(action)).toList();
    assertThat(action, matching.size(), equalTo(1));
    return matching.get(0);
  }
}
