package dev.atpkeyserver.server.db;

import static dev.atpkeyserver.server.testing.Inputs.activeKeypair;
import static dev.atpkeyserver.server.testing.Inputs.rotation;
import static dev.atpkeyserver.server.testing.Responses.assertError;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThan;

import dev.atpkeyserver.lexicon.client.KeyserverClient;
import dev.atpkeyserver.server.testing.EachDatabase;
import dev.atpkeyserver.server.testing.KeyserverExtension;
import dev.atpkeyserver.server.testing.TestDatabase;
import dev.atpkeyserver.server.testing.TestServer;
import dev.atpkeyserver.server.testing.TestUser;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A transaction stuck on a lock costs one request a prompt 503, not the pool or a 500. */
class LockTimeoutTest {

  @RegisterExtension
  static final KeyserverExtension keyserver =
      new KeyserverExtension(Map.of("keyserver.db.lock-timeout", "PT1S"));

  @EachDatabase
  void aRotationBehindAStuckLockAnswers503AndTheNextOneWorks(TestDatabase db) throws Exception {
    TestServer server = keyserver.on(db);
    TestUser user = keyserver.newUser();
    KeyserverClient client = server.as(user);
    client.keypairGetKeypair(activeKeypair());

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

    long elapsedMillis;
    try {
      long start = System.nanoTime();
      assertError(() -> client.keypairRotate(rotation()), 503, "Service Unavailable", "try again");
      elapsedMillis = (System.nanoTime() - start) / 1_000_000;
    } finally {
      release.countDown();
      holder.join(10_000);
    }

    assertThat(elapsedMillis, lessThan(5_000L));
    assertThat(client.keypairRotate(rotation()).newVersion(), equalTo(2L));
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
