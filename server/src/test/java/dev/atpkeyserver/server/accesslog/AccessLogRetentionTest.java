package dev.atpkeyserver.server.accesslog;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.atpkeyserver.server.accesslog.AccessLogEntry.KeyType;
import dev.atpkeyserver.server.db.Database;
import dev.atpkeyserver.server.testing.EachDatabase;
import dev.atpkeyserver.server.testing.TestDatabase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Entries past the retention period go; newer ones stay. */
class AccessLogRetentionTest {

  @EachDatabase
  void purgesOnlyEntriesOlderThanTheRetention(TestDatabase db) throws Exception {
    TestDatabase.Fresh fresh = db.create();
    try (Database database = Database.open(fresh.settings())) {
      AccessLogRepository repository = new AccessLogRepository();
      Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
      List<AccessLogEntry> entries = new ArrayList<>();
      // More old entries than one purge batch, to cover the batching loop.
      for (int i = 0; i < AccessLogRetention.BATCH + 7; i++) {
        entries.add(entry(now.minus(Duration.ofDays(91)).minusSeconds(i)));
      }
      for (int i = 0; i < 3; i++) {
        entries.add(entry(now.minus(Duration.ofDays(89))));
      }
      repository.insertBatch(database.execute(), entries);

      try (AccessLogRetention retention =
          new AccessLogRetention(
              database, repository, Duration.ofDays(90), Duration.ofHours(1), Clock.systemUTC())) {
        assertThat(retention.purge(), equalTo((long) AccessLogRetention.BATCH + 7));
      }

      assertThat(
          repository.page(database.execute(), "did:plc:old", Optional.empty(), 1000).items().size(),
          equalTo(3));
    } finally {
      fresh.drop();
    }
  }

  private static AccessLogEntry entry(Instant at) {
    return new AccessLogEntry(
        "did:plc:old",
        KeyType.KEYPAIR,
        Optional.empty(),
        1,
        at,
        new Accessor(Optional.empty(), Optional.empty(), Optional.empty()));
  }
}
