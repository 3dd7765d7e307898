package dev.atpkeyserver.server.account;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.fail;

import dev.atpkeyserver.did.Did;
import dev.atpkeyserver.server.accesslog.AccessLogRepository;
import dev.atpkeyserver.server.accesslog.AccessLogWriter;
import dev.atpkeyserver.server.accesslog.Accessor;
import dev.atpkeyserver.server.cache.Invalidations;
import dev.atpkeyserver.server.cache.KeyCaches;
import dev.atpkeyserver.server.cache.ScopedCache;
import dev.atpkeyserver.server.crypto.MasterKey;
import dev.atpkeyserver.server.db.Database;
import dev.atpkeyserver.server.db.DatabaseSettings;
import dev.atpkeyserver.server.device.DeviceRepository;
import dev.atpkeyserver.server.device.DeviceService;
import dev.atpkeyserver.server.group.GroupRepository;
import dev.atpkeyserver.server.keypair.KeypairRepository;
import dev.atpkeyserver.server.keypair.KeypairService;
import dev.atpkeyserver.server.keypair.StoredKeypair;
import dev.atpkeyserver.server.keys.KeyServiceContext;
import dev.atpkeyserver.server.keys.MillisecondClock;
import dev.atpkeyserver.server.testing.EachDatabase;
import dev.atpkeyserver.server.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A read that obtains a user's key while their account is being deleted has its access-log entry
 * written only after the deletion's transaction committed (the writer is asynchronous); the
 * deletion's second step must still erase it.
 *
 * <p>The interleaving is forced, not hoped for: the pool has one connection, the deletion's
 * transaction holds it while it waits for a row lock the test holds, and the read is served from
 * the key cache meanwhile. Its entry cannot be written before the deletion commits, because the
 * writer has no connection until then.
 */
class AccountDeletionLateEntriesTest {

  private static final Did USER = new Did("plc", "lateentries");
  private static final Accessor ACCESSOR =
      new Accessor(Optional.of(USER), Optional.of("192.0.2.7"), Optional.of("test"));

  @EachDatabase
  void aReadDuringTheDeletionLeavesNoEntry(TestDatabase db) throws Exception {
    TestDatabase.Fresh fresh = db.create();
    DatabaseSettings wide = fresh.settings();
    DatabaseSettings oneConnection =
        new DatabaseSettings(wide.url(), wide.username(), wide.password(), 1);
    try (Database database = Database.open(oneConnection);
        AccessLogWriter writer = new AccessLogWriter(database, new AccessLogRepository(), 100)) {
      ScopedCache<Integer, StoredKeypair> keypairCache =
          new ScopedCache<>(100, Duration.ofMinutes(1), true);
      KeyCaches caches =
          new KeyCaches(keypairCache, new ScopedCache<>(100, Duration.ofMinutes(1), true));
      Invalidations invalidations = new Invalidations(database, caches, oneConnection.isPostgres());
      KeyServiceContext context =
          new KeyServiceContext(
              database,
              invalidations,
              MasterKey.fromJson(MasterKey.generateJson()),
              writer,
              new MillisecondClock(Clock.systemUTC()));
      KeypairService keypairs = new KeypairService(context, new KeypairRepository(), keypairCache);
      AccountService accounts =
          new AccountService(
              database,
              keypairs,
              new GroupRepository(),
              new DeviceService(
                  database,
                  new DeviceRepository(),
                  writer,
                  new MillisecondClock(Clock.systemUTC())),
              new AccessLogRepository(),
              writer,
              invalidations);

      // The user's keypair exists, is cached, and its first read is logged.
      keypairs.keypair(USER, Optional.empty(), ACCESSOR);
      assertThat(keypairCache.entries(), equalTo(1));
      writer.flush();

      CompletableFuture<AccountService.Deletion> deletion;
      try (Connection holder = oneConnection.connect(new Properties())) {
        holder.setAutoCommit(false);
        lockOwnerRow(holder);
        deletion =
            CompletableFuture.supplyAsync(() -> accounts.delete(USER, AccountService.CONFIRMATION));
        awaitPoolInUse(database);

        // The deletion's transaction has the only connection and waits for the owner row.
        keypairs.keypair(USER, Optional.empty(), ACCESSOR);
        assertThat(deletion.isDone(), equalTo(false));
        holder.rollback();
      }

      AccountService.Deletion result = deletion.get(20, TimeUnit.SECONDS);
      writer.flush();
      assertThat(entriesAbout(database), equalTo(0L));
      assertThat(result.keys(), equalTo(1L));
      // The first read's entry went in the transaction, the late one in the second step.
      assertThat(result.accessLogs(), equalTo(2L));
    } finally {
      fresh.drop();
    }
  }

  private static void lockOwnerRow(Connection holder) throws Exception {
    try (PreparedStatement lock =
        holder.prepareStatement("SELECT did FROM keypair_owners WHERE did = ? FOR UPDATE")) {
      lock.setString(1, USER.toString());
      lock.executeQuery().close();
    }
  }

  private static void awaitPoolInUse(Database database) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (database.poolUsage().active() < 1) {
      if (System.nanoTime() > deadline) {
        fail("The deletion never took its connection");
      }
      Thread.sleep(5);
    }
  }

  private static long entriesAbout(Database database) {
    return database
        .execute()
        .get(
            "SELECT COUNT(*) AS n FROM access_logs WHERE owner_did = ? OR accessor_did = ?",
            USER.toString(),
            USER.toString())
        .map(row -> ((Number) row.column("n").get(Object.class)).longValue())
        .orElseThrow();
  }
}
