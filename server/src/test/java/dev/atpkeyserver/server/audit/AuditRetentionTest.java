package dev.atpkeyserver.server.audit;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.atpkeyserver.did.Did;
import dev.atpkeyserver.server.accesslog.Accessor;
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

/** Events past the retention period go; newer ones stay. */
class AuditRetentionTest {

  private static final Did OWNER = new Did("plc", "auditretention");

  @EachDatabase
  void purgesOnlyEventsOlderThanTheRetention(TestDatabase db) throws Exception {
    TestDatabase.Fresh fresh = db.create();
    try (Database database = Database.open(fresh.settings())) {
      AuditRepository repository = new AuditRepository();
      Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
      List<AuditEvent> events = new ArrayList<>();
      // More old events than one purge batch, to cover the batching loop.
      for (int i = 0; i < AuditRetention.BATCH + 7; i++) {
        events.add(event(now.minus(Duration.ofDays(31)).minusSeconds(i)));
      }
      for (int i = 0; i < 3; i++) {
        events.add(event(now.minus(Duration.ofDays(29))));
      }
      repository.insertBatch(database.execute(), events);

      // A configured retention, not the default: the setting is what the purge uses.
      try (AuditRetention retention =
          new AuditRetention(
              database, repository, Duration.ofDays(30), Duration.ofHours(1), Clock.systemUTC())) {
        assertThat(retention.purge(), equalTo((long) AuditRetention.BATCH + 7));
      }

      assertThat(
          repository
              .page(
                  database.execute(),
                  OWNER,
                  Optional.empty(),
                  Optional.empty(),
                  Optional.empty(),
                  Optional.empty(),
                  100)
              .items()
              .size(),
          equalTo(3));
    } finally {
      fresh.drop();
    }
  }

  private static AuditEvent event(Instant at) {
    return AuditEvent.of(
        OWNER,
        AuditAction.KEYPAIR_READ,
        new Accessor(Optional.of(OWNER), Optional.of("192.0.2.1"), Optional.of("test")),
        AuditSubject.version(1),
        Optional.empty(),
        at);
  }
}
