package dev.atpkeyserver.server.cache;

import static dev.atpkeyserver.server.testing.Inputs.activeKeypair;
import static dev.atpkeyserver.server.testing.Inputs.addMember;
import static dev.atpkeyserver.server.testing.Inputs.deletion;
import static dev.atpkeyserver.server.testing.Inputs.groupKey;
import static dev.atpkeyserver.server.testing.Inputs.groupRotation;
import static dev.atpkeyserver.server.testing.Inputs.publicKeyOf;
import static dev.atpkeyserver.server.testing.Inputs.removeMember;
import static dev.atpkeyserver.server.testing.Inputs.rotation;
import static dev.atpkeyserver.server.testing.Responses.statusOf;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.junit.jupiter.api.Assertions.fail;

import dev.atpkeyserver.lexicon.client.KeyserverClient;
import dev.atpkeyserver.server.testing.KeyserverExtension;
import dev.atpkeyserver.server.testing.OnPostgres;
import dev.atpkeyserver.server.testing.TestDatabase;
import dev.atpkeyserver.server.testing.TestServer;
import dev.atpkeyserver.server.testing.TestUser;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two keyserver instances on one PostgreSQL database, each serving reads from its own cache: a
 * write on one must reach the other's cache (LISTEN/NOTIFY), and an instance that cannot hear
 * writes must not serve from its cache. Without invalidation, the second instance would serve the
 * cached value forever, so every assertion here fails if the mechanism breaks.
 */
class KeyCacheCoherenceTest {

  /** How long an invalidation may take to cross over; typically a few milliseconds. */
  private static final Duration PROPAGATION = Duration.ofSeconds(5);

  @RegisterExtension static final KeyserverExtension keyserver = new KeyserverExtension();

  @OnPostgres
  void aRotationOnOneInstanceReachesTheOtherInstancesCache(TestDatabase db) {
    TestServer a = keyserver.on(db);
    TestServer b = keyserver.another(db);
    TestUser user = keyserver.newUser();
    a.as(user).keypairGetKeypair(activeKeypair());
    awaitServing(b);
    assertThat(publicKeyVersion(b, user), equalTo(1L));
    assertThat(publicKeyVersion(b, user), equalTo(1L)); // now from b's cache

    a.as(user).keypairRotate(rotation());

    long millis = await(() -> publicKeyVersion(b, user) == 2, "b to serve version 2");
    System.out.println("Rotation on one instance reached the other's cache in " + millis + " ms");
  }

  @OnPostgres
  void aMemberRemovedOnOneInstanceLosesAccessOnTheOther(TestDatabase db) {
    TestServer a = keyserver.on(db);
    TestServer b = keyserver.another(db);
    TestUser owner = keyserver.newUser();
    TestUser member = keyserver.newUser();
    String groupId = owner.did() + "#friends";
    KeyserverClient ownerOnA = a.as(owner);
    ownerOnA.groupGetKey(groupKey(groupId));
    ownerOnA.groupAddMember(addMember(groupId, member.did()));
    KeyserverClient memberOnB = b.as(member);
    awaitServing(b);
    memberOnB.groupGetKey(groupKey(groupId));
    memberOnB.groupGetKey(groupKey(groupId)); // cached on b

    ownerOnA.groupRemoveMember(removeMember(groupId, member.did()));
    await(
        () -> statusOf(() -> memberOnB.groupGetKey(groupKey(groupId))) == 403,
        "the removed member to be refused on b");
    ownerOnA.groupRotateKey(groupRotation(groupId));

    // The new version never reaches the removed member, and the owner sees it on b.
    assertThat(statusOf(() -> memberOnB.groupGetKey(groupKey(groupId))), equalTo(403));
    KeyserverClient ownerOnB = b.as(owner);
    await(
        () -> ownerOnB.groupGetKey(groupKey(groupId)).version() == 2,
        "the owner to get version 2 on b");
  }

  @OnPostgres
  void anAccountDeletionOnOneInstanceReachesTheOtherInstancesCache(TestDatabase db) {
    TestServer a = keyserver.on(db);
    TestServer b = keyserver.another(db);
    TestUser owner = keyserver.newUser();
    TestUser member = keyserver.newUser();
    TestUser other = keyserver.newUser();
    String groupId = owner.did() + "#deleted";
    KeyserverClient ownerOnA = a.as(owner);
    ownerOnA.groupGetKey(groupKey(groupId));
    for (TestUser added : new TestUser[] {member, other}) {
      ownerOnA.groupAddMember(addMember(groupId, added.did()));
    }
    a.as(member).keypairGetKeypair(activeKeypair());
    awaitServing(b);
    KeyserverClient memberOnB = b.as(member);
    KeyserverClient otherOnB = b.as(other);
    memberOnB.groupGetKey(groupKey(groupId)); // cached on b
    otherOnB.groupGetKey(groupKey(groupId));
    assertThat(publicKeyVersion(b, member), equalTo(1L));

    // The member erases their account: their keypair and their membership go everywhere.
    a.as(member).accountDelete(deletion());
    await(
        () -> statusOf(() -> memberOnB.groupGetKey(groupKey(groupId))) == 403,
        "the deleted member to lose the group on b");
    await(
        () -> statusOf(() -> publicKeyVersion(b, member)) == 404,
        "the deleted member's public key to vanish on b");

    // The owner erases theirs: the group goes for every member.
    ownerOnA.accountDelete(deletion());
    await(
        () -> statusOf(() -> otherOnB.groupGetKey(groupKey(groupId))) == 404,
        "the deleted owner's group to vanish on b");
  }

  @OnPostgres
  void anInstanceThatCannotHearWritesStopsServingFromItsCache(TestDatabase db) {
    TestServer a = keyserver.on(db);
    TestServer b = keyserver.another(db);
    TestUser user = keyserver.newUser();
    a.as(user).keypairGetKeypair(activeKeypair());
    awaitServing(b);
    assertThat(publicKeyVersion(b, user), equalTo(1L)); // cached on b

    // Cut every listener's connection; a write made now is announced to nobody.
    long cut =
        b.database()
            .execute()
            .query(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    + " WHERE application_name = 'atp-keyserver cache listener'")
            .count();
    assertThat("listener connections cut", cut, greaterThan(0L));
    await(() -> !b.keyCacheServing(), "b to notice its feed is gone");
    a.as(user).keypairRotate(rotation());

    assertThat(publicKeyVersion(b, user), equalTo(2L));
    // It reconnects by itself and serves from a cache that starts empty.
    await(b::keyCacheServing, "b to listen again");
    assertThat(publicKeyVersion(b, user), equalTo(2L));
    a.as(user).keypairRotate(rotation());
    await(() -> publicKeyVersion(b, user) == 3, "b to serve version 3 after reconnecting");
  }

  private static long publicKeyVersion(TestServer server, TestUser user) {
    return server.anonymous().keypairGetPublicKey(publicKeyOf(user.did())).version();
  }

  private static void awaitServing(TestServer server) {
    await(server::keyCacheServing, "the instance to listen for invalidations");
  }

  /** Waits for {@code condition}; returns how long it took. */
  private static long await(BooleanSupplier condition, String what) {
    long start = System.nanoTime();
    long deadline = start + PROPAGATION.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("Timed out after " + PROPAGATION + " waiting for " + what);
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fail("interrupted");
      }
    }
    return Duration.ofNanos(System.nanoTime() - start).toMillis();
  }
}
