package dev.atpkeyserver.server.accesslog;

import static dev.atpkeyserver.server.testing.Inputs.activeKeypair;
import static dev.atpkeyserver.server.testing.Inputs.addMember;
import static dev.atpkeyserver.server.testing.Inputs.groupKey;
import static dev.atpkeyserver.server.testing.Inputs.logs;
import static dev.atpkeyserver.server.testing.Inputs.publicKeyOf;
import static dev.atpkeyserver.server.testing.Inputs.rotation;
import static dev.atpkeyserver.server.testing.Responses.assertError;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import dev.atpkeyserver.lexicon.alpha.Defs;
import dev.atpkeyserver.lexicon.alpha.accessLogs.GetLogs;
import dev.atpkeyserver.lexicon.client.KeyserverClient;
import dev.atpkeyserver.server.testing.EachDatabase;
import dev.atpkeyserver.server.testing.KeyserverExtension;
import dev.atpkeyserver.server.testing.TestDatabase;
import dev.atpkeyserver.server.testing.TestServer;
import dev.atpkeyserver.server.testing.TestUser;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The access log: every key read recorded, read back newest first, on each database. The strict
 * client checks each entry's wire form (UTC datetimes, null ip and user agent rather than absent,
 * absent accessor rather than null).
 */
class AccessLogApiTest {

  @RegisterExtension static final KeyserverExtension keyserver = new KeyserverExtension();

  @RegisterExtension
  static final KeyserverExtension behindProxy =
      new KeyserverExtension(Map.of("keyserver.trusted-proxies", "127.0.0.0/8"));

  /** The first page of the caller's log, at the default size. */
  private static List<Defs.AccessLog> logsOf(KeyserverClient user) {
    return logsOf(user, 50);
  }

  private static List<Defs.AccessLog> logsOf(KeyserverClient user, long limit) {
    return user.accessLogsGetLogs(logs(limit)).logs();
  }

  @EachDatabase
  void recordsEveryReadOfTheCallersKeysNewestFirst(TestDatabase db) {
    TestServer server = keyserver.on(db);
    TestUser alice = keyserver.newUser();
    TestUser bob = keyserver.newUser();
    KeyserverClient asAlice = server.as(alice);
    KeyserverClient asBob = server.as(bob);
    String group = alice.did() + "#friends";

    asAlice.keypairGetKeypair(activeKeypair());
    asAlice.keypairRotate(rotation());
    server.anonymous().keypairGetPublicKey(publicKeyOf(alice.did(), 1));
    asAlice.groupGetKey(groupKey(group));
    asAlice.groupAddMember(addMember(group, bob.did()));
    asBob.groupGetKey(groupKey(group));

    List<Defs.AccessLog> logs = logsOf(asAlice);

    assertThat(logs, hasSize(4));
    assertThat(
        logs.stream().map(Defs.AccessLog::keyType).toList(),
        equalTo(
            List.of(
                Optional.of("group"),
                Optional.of("group"),
                Optional.of("keypair"),
                Optional.of("keypair"))));
    assertThat(logs.stream().map(Defs.AccessLog::version).toList(), contains(1L, 1L, 1L, 1L));
    Defs.AccessLog bobsRead = logs.get(0);
    assertThat(bobsRead.groupId(), equalTo(Optional.of(group)));
    assertThat(bobsRead.accessorDid(), equalTo(Optional.of(bob.did())));
    assertThat(bobsRead.ip(), equalTo(Optional.of("127.0.0.1")));
    assertThat(bobsRead.userAgent(), equalTo(Optional.of(TestServer.USER_AGENT)));
    // Alice's own reads do not name her as an accessor; the anonymous read has no accessor.
    assertThat(logs.get(1).accessorDid(), equalTo(Optional.empty()));
    assertThat(logs.get(2).accessorDid(), equalTo(Optional.empty()));
    // Bob's log holds nothing: he owns no keys that were read.
    assertThat(logsOf(asBob), hasSize(0));
  }

  @EachDatabase
  void limitBoundsTheAnswerAndBadLimitsAreRefused(TestDatabase db) {
    TestServer server = keyserver.on(db);
    TestUser owner = keyserver.newUser();
    KeyserverClient user = server.as(owner);
    for (int i = 0; i < 3; i++) {
      user.keypairGetKeypair(activeKeypair());
    }

    assertThat(logsOf(user, 2), hasSize(2));
    assertThat(logsOf(user), hasSize(3));
    for (long limit : List.of(0L, -5L, 1001L)) {
      assertError(() -> logsOf(user, limit), 400, "Bad Request", "limit");
    }
    // Limits that are not integers cannot be typed.
    for (String limit : List.of("abc", "2.5")) {
      assertError(
          server.get(
              "/xrpc/" + GetLogs.NSID + "?limit=" + limit,
              "Authorization",
              "Bearer " + owner.token(server.serviceDid(), GetLogs.NSID)),
          400,
          "Bad Request",
          "limit");
    }
  }

  @EachDatabase
  void forwardedForIsIgnoredUnlessThePeerIsATrustedProxy(TestDatabase db) {
    for (KeyserverExtension extension : List.of(keyserver, behindProxy)) {
      TestServer server = extension.on(db);
      TestUser owner = extension.newUser();
      KeyserverClient user = server.as(owner);
      user.keypairGetKeypair(activeKeypair());

      new KeyserverClient(
              server.xrpc().header("X-Forwarded-For", "198.51.100.9, 203.0.113.5").build())
          .keypairGetPublicKey(publicKeyOf(owner.did()));

      String expected = extension == keyserver ? "127.0.0.1" : "203.0.113.5";
      assertThat(logsOf(user, 1).get(0).ip(), equalTo(Optional.of(expected)));
    }
  }
}
