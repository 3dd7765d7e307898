package dev.atpkeyserver.server.accesslog;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.atpkeyserver.did.Did;
import dev.atpkeyserver.server.accesslog.AccessLogEntry.KeyType;
import dev.atpkeyserver.server.db.Database;
import dev.atpkeyserver.server.testing.EachDatabase;
import dev.atpkeyserver.server.testing.TestDatabase;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Batched access-log writes lose nothing that was acknowledged. */
class AccessLogWriterTest {

  private static final Accessor ACCESSOR =
      new Accessor(Optional.empty(), Optional.of("192.0.2.1"), Optional.of("test"));

  @EachDatabase
  void closeWritesEveryAppendedEntry(TestDatabase db) throws Exception {
    TestDatabase.Fresh fresh = db.create();
    try (Database database = Database.open(fresh.settings())) {
      AccessLogRepository repository = new AccessLogRepository();
      AccessLogWriter writer = new AccessLogWriter(database, repository, 100);
      // More than the queue holds, from many threads: some entries take the synchronous path.
      List<Future<?>> appends = new ArrayList<>();
      try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
        for (int i = 0; i < 2_000; i++) {
          int version = i % 50 + 1;
          appends.add(pool.submit(() -> writer.append(entry("did:plc:writer", version))));
        }
      }
      for (Future<?> append : appends) {
        append.get(); // an append that threw fails the test here
      }
      writer.close();

      assertThat(count(database, "did:plc:writer"), equalTo(2_000L));
    } finally {
      fresh.drop();
    }
  }

  @EachDatabase
  void flushMakesEarlierEntriesVisible(TestDatabase db) throws Exception {
    TestDatabase.Fresh fresh = db.create();
    try (Database database = Database.open(fresh.settings())) {
      AccessLogWriter writer = new AccessLogWriter(database, new AccessLogRepository(), 1_000);
      for (int i = 0; i < 250; i++) {
        writer.append(entry("did:plc:flush", 1));
      }
      writer.flush();
      assertThat(count(database, "did:plc:flush"), equalTo(250L));
      writer.close();
    } finally {
      fresh.drop();
    }
  }

  @EachDatabase
  void batchesKeepEveryCharacterAndTheInstant(TestDatabase db) throws Exception {
    TestDatabase.Fresh fresh = db.create();
    try (Database database = Database.open(fresh.settings())) {
      AccessLogRepository repository = new AccessLogRepository();
      // COPY's text format gives tab, newline, carriage return and backslash a meaning: a value
      // holding them must come back as it was, not split a row or shift a column.
      List<String> agents =
          List.of(
              "tab\there",
              "line\nbreak",
              "carriage\rreturn",
              "back\\slash \\N \\.",
              "\\",
              "ünïcödé 😀",
              "");
      Instant at = Instant.parse("2025-01-24T10:30:00.123Z");
      List<AccessLogEntry> written = new ArrayList<>();
      for (int i = 0; i < agents.size(); i++) {
        written.add(
            new AccessLogEntry(
                "did:plc:chars",
                List.of(KeyType.KEYPAIR, KeyType.GROUP, KeyType.DEVICE).get(i % 3),
                i % 3 == 1 ? Optional.of("did:plc:chars#group\t1") : Optional.empty(),
                i % 3 == 2 ? Optional.of("device\\one\n") : Optional.empty(),
                i + 1,
                at.plusMillis(i),
                new Accessor(
                    i % 3 == 0 ? Optional.empty() : Optional.of(Did.parse("did:plc:reader")),
                    i % 3 == 1 ? Optional.empty() : Optional.of("2001:db8::1"),
                    Optional.of(agents.get(i)))));
      }
      repository.writeBatch(database, written);

      List<AccessLogEntry> read =
          new ArrayList<>(
              repository.page(database.execute(), "did:plc:chars", Optional.empty(), 100).items());
      Collections.reverse(read);
      assertThat(read, equalTo(written));
    } finally {
      fresh.drop();
    }
  }

  private static AccessLogEntry entry(String owner, int version) {
    return new AccessLogEntry(
        owner,
        KeyType.KEYPAIR,
        Optional.empty(),
        version,
        Instant.now().truncatedTo(ChronoUnit.MILLIS),
        ACCESSOR);
  }

  private static long count(Database database, String owner) {
    return database
        .execute()
        .get("SELECT COUNT(*) AS n FROM access_logs WHERE owner_did = ?", owner)
        .map(row -> ((Number) row.column("n").get(Object.class)).longValue())
        .orElseThrow();
  }
}
