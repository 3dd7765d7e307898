package dev.atpkeyserver.server.db;

import static dev.atpkeyserver.server.testing.Responses.assertError;
import static dev.atpkeyserver.server.testing.Responses.ok;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThan;

import dev.atpkeyserver.server.testing.ApiClient;
import dev.atpkeyserver.server.testing.DidDirectory;
import dev.atpkeyserver.server.testing.KeyserverExtension;
import dev.atpkeyserver.server.testing.TestDatabase;
import dev.atpkeyserver.server.testing.TestServer;
import dev.atpkeyserver.server.testing.TestUser;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A transaction stuck on a lock costs one request a prompt 503, not the pool or a 500. */
class LockTimeoutTest {

  private static final DidDirectory directory = new DidDirectory();

  @RegisterExtension
  static final KeyserverExtension servers =
      new KeyserverExtension(
          Map.of(
              "keyserver.plc-url",
              directory.url(),
              "keyserver.service-did",
              ApiClient.SERVICE_DID,
              "keyserver.db.lock-timeout",
              "PT1S"),
          directory);

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void aRotationBehindAStuckLockAnswers503AndTheNextOneWorks(TestDatabase db) throws Exception {
    TestServer server = servers.on(db);
    TestUser user = directory.publish(TestUser.plc());
    ApiClient client = new ApiClient(server, user);
    ok(client.query("keypair.getKeypair", ""));

    CountDownLatch locked = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Thread holder =
        Thread.ofPlatform()
            .start(
                () ->
                    server
                        .database()
                        .inTransaction(
                            tx -> {
                              tx.get(
                                  "SELECT did FROM keypair_owners WHERE did = ? FOR UPDATE",
                                  user.did());
                              locked.countDown();
                              await(release);
                              return null;
                            }));
    assertThat(locked.await(10, TimeUnit.SECONDS), equalTo(true));

    long start = System.nanoTime();
    HttpResponse<String> blocked = client.procedure("keypair.rotate", "{}");
    long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
    release.countDown();
    holder.join(10_000);

    assertError(blocked, 503, "Service Unavailable", "try again");
    assertThat(elapsedMillis, lessThan(5_000L));
    assertThat(ok(client.procedure("keypair.rotate", "{}")).getInt("newVersion"), equalTo(2));
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
