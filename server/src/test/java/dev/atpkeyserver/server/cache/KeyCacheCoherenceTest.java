package dev.atpkeyserver.server.cache;

import static dev.atpkeyserver.server.testing.Responses.ok;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.junit.jupiter.api.Assertions.fail;

import dev.atpkeyserver.server.testing.ApiClient;
import dev.atpkeyserver.server.testing.ApiServers;
import dev.atpkeyserver.server.testing.DidDirectory;
import dev.atpkeyserver.server.testing.KeyserverExtension;
import dev.atpkeyserver.server.testing.TestDatabase;
import dev.atpkeyserver.server.testing.TestServer;
import dev.atpkeyserver.server.testing.TestUser;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Two keyserver instances on one PostgreSQL database, each serving reads from its own cache: a
 * write on one must reach the other's cache (LISTEN/NOTIFY), and an instance that cannot hear
 * writes must not serve from its cache. Without invalidation, the second instance would serve the
 * cached value forever, so every assertion here fails if the mechanism breaks.
 */
class KeyCacheCoherenceTest {

  /** How long an invalidation may take to cross over; typically a few milliseconds. */
  private static final Duration PROPAGATION = Duration.ofSeconds(5);

  private static final DidDirectory directory = new DidDirectory();

  @RegisterExtension
  static final KeyserverExtension servers = ApiServers.resolvingThrough(directory);

  @ParameterizedTest
  @EnumSource(value = TestDatabase.class, names = "POSTGRES")
  void aRotationOnOneInstanceReachesTheOtherInstancesCache(TestDatabase db) {
    TestServer a = servers.on(db);
    TestServer b = servers.another(db);
    TestUser user = directory.publish(TestUser.plc());
    ok(new ApiClient(a, user).query("keypair.getKeypair", ""));
    awaitServing(b);
    assertThat(publicKeyVersion(b, user), equalTo(1));
    assertThat(publicKeyVersion(b, user), equalTo(1)); // now from b's cache

    ok(new ApiClient(a, user).procedure("keypair.rotate", "{}"));

    long millis = await(() -> publicKeyVersion(b, user) == 2, "b to serve version 2");
    System.out.println("Rotation on one instance reached the other's cache in " + millis + " ms");
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabase.class, names = "POSTGRES")
  void aMemberRemovedOnOneInstanceLosesAccessOnTheOther(TestDatabase db) {
    TestServer a = servers.on(db);
    TestServer b = servers.another(db);
    TestUser owner = directory.publish(TestUser.plc());
    TestUser member = directory.publish(TestUser.plc());
    String groupId = owner.did() + "#friends";
    ApiClient ownerOnA = new ApiClient(a, owner);
    ok(ownerOnA.query("group.getKey", "group_id=" + encode(groupId)));
    ok(
        ownerOnA.procedure(
            "group.addMember",
            "{\"group_id\":\"" + groupId + "\",\"member_did\":\"" + member.did() + "\"}"));
    ApiClient memberOnB = new ApiClient(b, member);
    awaitServing(b);
    ok(memberOnB.query("group.getKey", "group_id=" + encode(groupId)));
    ok(memberOnB.query("group.getKey", "group_id=" + encode(groupId))); // cached on b

    ok(
        ownerOnA.procedure(
            "group.removeMember",
            "{\"group_id\":\"" + groupId + "\",\"member_did\":\"" + member.did() + "\"}"));
    await(
        () -> memberOnB.query("group.getKey", "group_id=" + encode(groupId)).statusCode() == 403,
        "the removed member to be refused on b");
    ok(ownerOnA.procedure("group.rotateKey", "{\"group_id\":\"" + groupId + "\"}"));

    // The new version never reaches the removed member, and the owner sees it on b.
    assertThat(
        memberOnB.query("group.getKey", "group_id=" + encode(groupId)).statusCode(), equalTo(403));
    ApiClient ownerOnB = new ApiClient(b, owner);
    await(
        () ->
            ok(ownerOnB.query("group.getKey", "group_id=" + encode(groupId))).getInt("version")
                == 2,
        "the owner to get version 2 on b");
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabase.class, names = "POSTGRES")
  void anAccountDeletionOnOneInstanceReachesTheOtherInstancesCache(TestDatabase db) {
    TestServer a = servers.on(db);
    TestServer b = servers.another(db);
    TestUser owner = directory.publish(TestUser.plc());
    TestUser member = directory.publish(TestUser.plc());
    TestUser other = directory.publish(TestUser.plc());
    String groupId = owner.did() + "#deleted";
    String query = "group_id=" + encode(groupId);
    ApiClient ownerOnA = new ApiClient(a, owner);
    ok(ownerOnA.query("group.getKey", query));
    for (TestUser added : new TestUser[] {member, other}) {
      ok(
          ownerOnA.procedure(
              "group.addMember",
              "{\"group_id\":\"" + groupId + "\",\"member_did\":\"" + added.did() + "\"}"));
    }
    ok(new ApiClient(a, member).query("keypair.getKeypair", ""));
    awaitServing(b);
    ApiClient memberOnB = new ApiClient(b, member);
    ApiClient otherOnB = new ApiClient(b, other);
    ok(memberOnB.query("group.getKey", query)); // cached on b
    ok(otherOnB.query("group.getKey", query));
    assertThat(publicKeyVersion(b, member), equalTo(1));

    // The member erases their account: their keypair and their membership go everywhere.
    ok(
        new ApiClient(a, member)
            .procedure("account.delete", "{\"confirmation\":\"DELETE_ALL_MY_DATA\"}"));
    await(
        () -> memberOnB.query("group.getKey", query).statusCode() == 403,
        "the deleted member to lose the group on b");
    await(
        () -> publicKeyStatus(b, member) == 404, "the deleted member's public key to vanish on b");

    // The owner erases theirs: the group goes for every member.
    ok(ownerOnA.procedure("account.delete", "{\"confirmation\":\"DELETE_ALL_MY_DATA\"}"));
    await(
        () -> otherOnB.query("group.getKey", query).statusCode() == 404,
        "the deleted owner's group to vanish on b");
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabase.class, names = "POSTGRES")
  void anInstanceThatCannotHearWritesStopsServingFromItsCache(TestDatabase db) {
    TestServer a = servers.on(db);
    TestServer b = servers.another(db);
    TestUser user = directory.publish(TestUser.plc());
    ok(new ApiClient(a, user).query("keypair.getKeypair", ""));
    awaitServing(b);
    assertThat(publicKeyVersion(b, user), equalTo(1)); // cached on b

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
    ok(new ApiClient(a, user).procedure("keypair.rotate", "{}"));

    assertThat(publicKeyVersion(b, user), equalTo(2));
    // It reconnects by itself and serves from a cache that starts empty.
    await(b::keyCacheServing, "b to listen again");
    assertThat(publicKeyVersion(b, user), equalTo(2));
    ok(new ApiClient(a, user).procedure("keypair.rotate", "{}"));
    await(() -> publicKeyVersion(b, user) == 3, "b to serve version 3 after reconnecting");
  }

  private static int publicKeyVersion(TestServer server, TestUser user) {
    HttpResponse<String> response =
        server.get("/xrpc/dev.atpkeyserver.alpha.keypair.getPublicKey?did=" + encode(user.did()));
    return ok(response).getInt("version");
  }

  private static int publicKeyStatus(TestServer server, TestUser user) {
    return server
        .get("/xrpc/dev.atpkeyserver.alpha.keypair.getPublicKey?did=" + encode(user.did()))
        .statusCode();
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

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
