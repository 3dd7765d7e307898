package dev.atpkeyserver.server.keys;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.atpkeyserver.server.db.Database;
import dev.atpkeyserver.server.db.Rows;
import dev.atpkeyserver.server.keypair.KeypairRepository;
import dev.atpkeyserver.server.paging.Page;
import dev.atpkeyserver.server.testing.EachDatabase;
import dev.atpkeyserver.server.testing.MutableClock;
import dev.atpkeyserver.server.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The shared version lifecycle on real databases, through the keypair tables (any kind's tables
 * would do): versions stay contiguous with exactly one active, however creations and rotations
 * interleave.
 */
class KeyVersioningTest {

  private static final String KEY = "did:plc:versioning";
  private static final String INSERT_VERSION =
      """
      INSERT INTO keypair_versions
        (did, version, public_key, private_key_ciphertext, active, created_at)
      VALUES (?, ?, ?, ?, TRUE, ?)
      """;

  private final MutableClock clock = new MutableClock(Instant.parse("2025-01-02T03:04:05.678901Z"));
  private final KeyVersionRepository versionRows =
      new KeyVersionRepository("keypair_owners", "keypair_versions", "did");
  private final List<Runnable> cleanups = new ArrayList<>();

  @AfterEach
  void cleanUp() {
    cleanups.forEach(Runnable::run);
  }

  @EachDatabase
  void lockOrCreateMakesVersionOneOnceThenLocksIt(TestDatabase db) {
    Database database = open(db);
    KeyVersioning<String> versioning = versioning();

    LockedHead<String> created = database.inTransaction(tx -> versioning.lockOrCreate(tx, KEY));
    LockedHead<String> locked = database.inTransaction(tx -> versioning.lockOrCreate(tx, KEY));

    assertThat(created.latestVersion(), equalTo(1));
    assertThat(locked.latestVersion(), equalTo(1));
    List<KeyVersionInfo> versions = versions(database);
    assertThat(versions, contains(new KeyVersionInfo(1, true, at(clock), Optional.empty())));
  }

  @EachDatabase
  void lockFindsNoKeyThatWasNeverCreated(TestDatabase db) {
    Database database = open(db);
    assertThat(
        database.inTransaction(tx -> versioning().lock(tx, KEY)).isPresent(), equalTo(false));
  }

  @EachDatabase
  void rotateRevokesTheActiveVersionAndActivatesTheNext(TestDatabase db) {
    Database database = open(db);
    KeyVersioning<String> versioning = versioning();
    Instant created = at(clock);
    database.inTransaction(tx -> versioning.lockOrCreate(tx, KEY));
    clock.advance(Duration.ofSeconds(10));

    Rotation rotation =
        database.inTransaction(
            tx -> versioning.rotate(tx, versioning.lockOrCreate(tx, KEY), "compromised"));

    Instant rotated = at(clock);
    assertThat(rotation, equalTo(new Rotation(1, 2, rotated)));
    assertThat(
        versions(database),
        contains(
            new KeyVersionInfo(2, true, rotated, Optional.empty()),
            new KeyVersionInfo(1, false, created, Optional.of(rotated))));
    assertThat(
        database
            .execute()
            .get(
                "SELECT revocation_reason FROM keypair_versions WHERE did = ? AND version = 1", KEY)
            .map(row -> row.column("revocation_reason").getString()),
        equalTo(Optional.of("compromised")));
    assertThat(
        database.inTransaction(tx -> versioning.lock(tx, KEY)).orElseThrow().latestVersion(),
        equalTo(2));
  }

  @EachDatabase
  void concurrentRotationsOfANewKeyLeaveContiguousVersionsWithOneActive(TestDatabase db)
      throws Exception {
    Database database = open(db);
    KeyVersioning<String> versioning = versioning();
    int threads = 6;
    int rotationsEach = 5;

    List<Rotation> rotations = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      List<Future<Rotation>> futures = new ArrayList<>();
      for (int i = 0; i < threads * rotationsEach; i++) {
        futures.add(
            pool.submit(
                () ->
                    database.inTransaction(
                        tx -> versioning.rotate(tx, versioning.lockOrCreate(tx, KEY), "rotated"))));
      }
      for (Future<Rotation> future : futures) {
        rotations.add(future.get());
      }
    }

    int rotationCount = threads * rotationsEach;
    assertThat(
        rotations.stream().map(Rotation::newVersion).toList(),
        containsInAnyOrder(IntStream.rangeClosed(2, rotationCount + 1).boxed().toArray()));
    assertThat(
        rotations.stream().map(r -> r.newVersion() - r.oldVersion()).toList(),
        everyItem(equalTo(1)));
    List<KeyVersionInfo> versions = versions(database);
    assertThat(
        versions.stream().map(KeyVersionInfo::version).toList(),
        equalTo(IntStream.iterate(rotationCount + 1, v -> v >= 1, v -> v - 1).boxed().toList()));
    assertThat(
        versions.stream().filter(KeyVersionInfo::active).map(KeyVersionInfo::version).toList(),
        contains(rotationCount + 1));
  }

  @EachDatabase
  void concurrentCreationsMakeOneVersion(TestDatabase db) throws Exception {
    Database database = open(db);
    KeyVersioning<String> versioning = versioning();
    List<Future<?>> futures = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(6)) {
      for (int i = 0; i < 12; i++) {
        String key = KEY + (i % 2);
        boolean locking = i % 4 < 2;
        futures.add(
            pool.submit(
                () ->
                    locking
                        ? database.inTransaction(
                            tx -> versioning.lockOrCreate(tx, key).latestVersion())
                        : database.inTransaction(
                            tx -> {
                              versioning.createIfAbsent(tx, key);
                              return 1;
                            })));
      }
      for (Future<?> future : futures) {
        assertThat(future.get(), equalTo(1));
      }
    }

    for (String key : List.of(KEY + 0, KEY + 1)) {
      assertThat(
          versionRows.versions(database.execute(), key, Optional.empty(), Page.UNLIMITED).items(),
          contains(new KeyVersionInfo(1, true, at(clock), Optional.empty())));
    }
  }

  @Test
  void tableAndColumnNamesMustBeIdentifiers() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new KeyVersionRepository("keypair_owners; DROP TABLE x", "keypair_versions", "did"));
    assertThrows(
        IllegalArgumentException.class,
        () -> new KeyVersionRepository("keypair_owners", "keypair_versions", "Did"));
  }

  @Test
  void theClockKeepsMilliseconds() {
    assertThat(
        new MillisecondClock(clock).now(), equalTo(Instant.parse("2025-01-02T03:04:05.678Z")));
  }

  private KeyVersioning<String> versioning() {
    NewKeyVersion<String> newVersion =
        (tx, key, version, createdAt) ->
            tx.insert(
                INSERT_VERSION, key, version, new byte[32], new byte[48], Rows.param(createdAt));
    return new KeyVersioning<>(new KeypairRepository(), newVersion, new MillisecondClock(clock));
  }

  private List<KeyVersionInfo> versions(Database database) {
    return versionRows.versions(database.execute(), KEY, Optional.empty(), Page.UNLIMITED).items();
  }

  private static Instant at(MutableClock clock) {
    return new MillisecondClock(clock).now();
  }

  private Database open(TestDatabase db) {
    TestDatabase.Fresh fresh = db.create();
    Database database = Database.open(fresh.settings());
    cleanups.add(
        () -> {
          database.close();
          fresh.drop();
        });
    return database;
  }
}
