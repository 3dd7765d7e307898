package dev.atpkeyserver.server.backup;

import static dev.atpkeyserver.server.testing.Responses.assertError;
import static dev.atpkeyserver.server.testing.Responses.inParallel;
import static dev.atpkeyserver.server.testing.Responses.statusOf;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;

import dev.atpkeyserver.lexicon.alpha.backup.Defs;
import dev.atpkeyserver.lexicon.alpha.backup.Get;
import dev.atpkeyserver.lexicon.alpha.backup.Put;
import dev.atpkeyserver.lexicon.client.KeyserverClient;
import dev.atpkeyserver.server.testing.EachDatabase;
import dev.atpkeyserver.server.testing.KeyserverExtension;
import dev.atpkeyserver.server.testing.TestDatabase;
import dev.atpkeyserver.server.testing.TestServer;
import dev.atpkeyserver.server.testing.TestUser;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.LongStream;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Encrypted backups end to end, on each database, through the typed client. */
class BackupApiTest {

  @RegisterExtension static final KeyserverExtension keyserver = new KeyserverExtension();

  private static final SecureRandom RANDOM = new SecureRandom();

  private static final JsonObject KDF_PARAMS =
      Json.createObjectBuilder()
          .add("memoryKiB", 65536)
          .add("iterations", 3)
          .add("parallelism", 1)
          .add("note", "ünïcode \"quoted\"")
          .add("extra", Json.createArrayBuilder().add(2.5).add(true).addNull().add("x"))
          .build();

  static byte[] randomBytes(int size) {
    byte[] bytes = new byte[size];
    RANDOM.nextBytes(bytes);
    return bytes;
  }

  static String sha256Hex(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  static String b64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  /** A valid put of {@code size} random bytes, as a client would make it. */
  static Put.Input backupOf(int size, Optional<Long> expectedVersion) throws Exception {
    byte[] bundle = randomBytes(size);
    return new Put.Input(
        b64(bundle),
        new Defs.EncryptionMetadata(
            "xchacha20-poly1305",
            Optional.of("argon2id"),
            Optional.of(KDF_PARAMS),
            b64(randomBytes(24)),
            b64(randomBytes(16))),
        sha256Hex(bundle),
        expectedVersion);
  }

  static Put.Input backup() throws Exception {
    return backupOf(1000, Optional.empty());
  }

  static Get.Params current() {
    return new Get.Params(Optional.empty());
  }

  static Get.Params version(long version) {
    return new Get.Params(Optional.of(version));
  }

  static List<Long> versionsOf(KeyserverClient user) {
    return user.backupListVersions().versions().stream().map(Defs.BackupVersion::version).toList();
  }

  @EachDatabase
  void putThenGetReturnsExactlyWhatWasPut(TestDatabase db) throws Exception {
    KeyserverClient user = keyserver.on(db).as(keyserver.newUser());
    Put.Input input = backup();

    Put.Output stored = user.backupPut(input);
    Get.Output got = user.backupGet(current());

    assertThat(stored.version(), equalTo(1L));
    assertThat(got.encryptedBundle(), equalTo(input.encryptedBundle()));
    assertThat(got.encryptionMetadata(), equalTo(input.encryptionMetadata()));
    assertThat(got.encryptionMetadata().kdfParams().orElseThrow(), equalTo(KDF_PARAMS));
    assertThat(got.checksum(), equalTo(input.checksum()));
    assertThat(got.version(), equalTo(1L));
    assertThat(got.storedAt(), equalTo(stored.storedAt()));
    Defs.BackupVersion listed = user.backupListVersions().versions().get(0);
    assertThat(
        listed, equalTo(new Defs.BackupVersion(1, 1000, input.checksum(), stored.storedAt())));
  }

  @EachDatabase
  void theLargestBundleAndMinimalMetadataRoundTrip(TestDatabase db) throws Exception {
    KeyserverClient user = keyserver.on(db).as(keyserver.newUser());
    byte[] bundle = randomBytes(BackupService.MAX_BUNDLE_BYTES);
    Put.Input input =
        new Put.Input(
            b64(bundle),
            new Defs.EncryptionMetadata(
                "aes-256-gcm", Optional.empty(), Optional.empty(), b64(randomBytes(12)), ""),
            sha256Hex(bundle).toUpperCase(java.util.Locale.ROOT),
            Optional.of(0L));

    user.backupPut(input);
    Get.Output got = user.backupGet(current());

    assertThat(got.encryptedBundle(), equalTo(input.encryptedBundle()));
    assertThat(got.encryptionMetadata(), equalTo(input.encryptionMetadata()));
    assertThat(got.checksum(), equalTo(input.checksum()));
  }

  @EachDatabase
  void getAnswersNotFoundWithoutABackupOrVersion(TestDatabase db) throws Exception {
    KeyserverClient user = keyserver.on(db).as(keyserver.newUser());
    assertError(() -> user.backupGet(current()), 404, "Not Found", "Backup not found");
    user.backupPut(backup());
    assertError(() -> user.backupGet(version(2)), 404, "Not Found", "Backup not found");
    assertError(() -> user.backupGet(version(1L << 40)), 404, "Not Found", "Backup not found");
    assertThat(user.backupGet(version(1)).version(), equalTo(1L));
  }

  @EachDatabase
  void aStaleExpectedVersionIsAConflictAndStoresNothing(TestDatabase db) throws Exception {
    KeyserverClient user = keyserver.on(db).as(keyserver.newUser());
    assertError(
        () -> user.backupPut(backupOf(10, Optional.of(1L))),
        409,
        "Conflict",
        "current version is 0");
    user.backupPut(backupOf(10, Optional.of(0L)));
    user.backupPut(backupOf(10, Optional.of(1L)));

    assertError(
        () -> user.backupPut(backupOf(10, Optional.of(1L))),
        409,
        "Conflict",
        "current version is 2");
    assertError(
        () -> user.backupPut(backupOf(10, Optional.of(0L))),
        409,
        "Conflict",
        "current version is 2");
    assertThat(versionsOf(user), contains(2L, 1L));
  }

  @EachDatabase
  void twoPutsWithTheSameExpectedVersionExactlyOneWins(TestDatabase db) throws Exception {
    KeyserverClient user = keyserver.on(db).as(keyserver.newUser());
    user.backupPut(backup());
    Put.Input first = backupOf(100, Optional.of(1L));
    Put.Input second = backupOf(100, Optional.of(1L));

    List<Integer> statuses =
        inParallel(
            2,
            new java.util.concurrent.Callable<Integer>() {
              private final java.util.concurrent.atomic.AtomicInteger next =
                  new java.util.concurrent.atomic.AtomicInteger();

              @Override
              public Integer call() {
                Put.Input input = next.getAndIncrement() == 0 ? first : second;
                return statusOf(() -> user.backupPut(input));
              }
            });

    assertThat(statuses.stream().sorted().toList(), contains(200, 409));
    assertThat(versionsOf(user), contains(2L, 1L));
    String winner = user.backupGet(current()).encryptedBundle();
    assertThat(
        winner.equals(first.encryptedBundle()) || winner.equals(second.encryptedBundle()),
        equalTo(true));
  }

  @EachDatabase
  void manyRacingPutsStayContiguous(TestDatabase db) throws Exception {
    KeyserverClient user = keyserver.on(db).as(keyserver.newUser());

    List<Integer> statuses = inParallel(8, () -> statusOf(() -> put(user, 0L)));

    // Everyone expected "no backup": exactly one found it so.
    assertThat(Collections.frequency(statuses, 200), equalTo(1));
    assertThat(Collections.frequency(statuses, 409), equalTo(7));
    inParallel(8, () -> user.backupPut(backup()));
    assertThat(
        versionsOf(user),
        contains(LongStream.rangeClosed(1, 9).map(v -> 10 - v).boxed().toArray()));
  }

  private static void put(KeyserverClient user, long expected) {
    try {
      user.backupPut(backupOf(10, Optional.of(expected)));
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @EachDatabase
  void onlyTheNewestTenVersionsAreKept(TestDatabase db) throws Exception {
    KeyserverClient user = keyserver.on(db).as(keyserver.newUser());
    for (int i = 0; i < 12; i++) {
      user.backupPut(backupOf(10 + i, Optional.empty()));
    }

    assertThat(versionsOf(user), contains(12L, 11L, 10L, 9L, 8L, 7L, 6L, 5L, 4L, 3L));
    assertThat(
        user.backupListVersions().versions().stream().map(Defs.BackupVersion::size).toList(),
        contains(21L, 20L, 19L, 18L, 17L, 16L, 15L, 14L, 13L, 12L));
    assertError(() -> user.backupGet(version(2)), 404, "Not Found", "Backup not found");
    assertThat(user.backupGet(version(3)).version(), equalTo(3L));
  }

  @EachDatabase
  void deleteRemovesEveryVersionAndNumbersAreNotReused(TestDatabase db) throws Exception {
    KeyserverClient user = keyserver.on(db).as(keyserver.newUser());
    assertThat(user.backupDelete().deleted(), equalTo(0L));
    user.backupPut(backup());
    user.backupPut(backup());

    assertThat(user.backupDelete().deleted(), equalTo(2L));

    assertError(() -> user.backupGet(current()), 404, "Not Found", "Backup not found");
    assertThat(user.backupListVersions().versions(), empty());
    assertError(
        () -> user.backupPut(backupOf(10, Optional.of(2L))),
        409,
        "Conflict",
        "current version is 0");
    assertThat(user.backupPut(backupOf(10, Optional.of(0L))).version(), equalTo(3L));
  }

  @EachDatabase
  void nobodyElseReadsOrDeletesABackup(TestDatabase db) throws Exception {
    TestServer server = keyserver.on(db);
    KeyserverClient owner = server.as(keyserver.newUser());
    KeyserverClient other = server.as(keyserver.newUser());
    Put.Input input = backup();
    owner.backupPut(input);

    assertError(() -> other.backupGet(current()), 404, "Not Found", "Backup not found");
    assertError(() -> other.backupGet(version(1)), 404, "Not Found", "Backup not found");
    assertThat(other.backupListVersions().versions(), empty());
    assertThat(other.backupDelete().deleted(), equalTo(0L));
    assertThat(other.backupPut(backup()).version(), equalTo(1L));

    assertThat(owner.backupGet(current()).encryptedBundle(), equalTo(input.encryptedBundle()));
    assertThat(versionsOf(owner), contains(1L));
  }

  @EachDatabase
  void badInputIsABadRequestAndStoresNothing(TestDatabase db) throws Exception {
    TestServer server = keyserver.on(db);
    TestUser who = keyserver.newUser();
    KeyserverClient user = server.as(who);
    Put.Input good = backup();
    byte[] tooLarge = randomBytes(BackupService.MAX_BUNDLE_BYTES + 1);
    String bigParams = "x".repeat(BackupService.MAX_KDF_PARAMS_BYTES);

    List<Bad> cases =
        List.of(
            new Bad("encryptedBundle", in -> withBundle(in, "not base64!", in.checksum())),
            new Bad("encryptedBundle", in -> withBundle(in, "AAAAAA", in.checksum())),
            new Bad("encryptedBundle", in -> withBundle(in, "AAAAA===", in.checksum())),
            new Bad("encryptedBundle", in -> withBundle(in, b64(tooLarge), hex(tooLarge))),
            new Bad(
                "Checksum mismatch", in -> withBundle(in, in.encryptedBundle(), hex(new byte[1]))),
            new Bad("checksum", in -> withBundle(in, in.encryptedBundle(), "abc")),
            new Bad("checksum", in -> withBundle(in, in.encryptedBundle(), "g".repeat(64))),
            new Bad(
                "algorithm",
                in ->
                    withMetadata(
                        in, m -> metadata("rot13", m.kdf(), m.kdfParams(), m.nonce(), m.salt()))),
            new Bad(
                "kdf",
                in ->
                    withMetadata(
                        in,
                        m ->
                            metadata(
                                m.algorithm(),
                                Optional.of("md5"),
                                m.kdfParams(),
                                m.nonce(),
                                m.salt()))),
            new Bad(
                "nonce",
                in ->
                    withMetadata(
                        in, m -> metadata(m.algorithm(), m.kdf(), m.kdfParams(), "%%%", m.salt()))),
            new Bad(
                "nonce",
                in ->
                    withMetadata(
                        in, m -> metadata(m.algorithm(), m.kdf(), m.kdfParams(), "", m.salt()))),
            new Bad(
                "salt",
                in ->
                    withMetadata(
                        in,
                        m ->
                            metadata(
                                m.algorithm(),
                                m.kdf(),
                                m.kdfParams(),
                                m.nonce(),
                                b64(randomBytes(65))))),
            new Bad(
                "kdfParams",
                in ->
                    withMetadata(
                        in,
                        m ->
                            metadata(
                                m.algorithm(),
                                m.kdf(),
                                Optional.of(Json.createObjectBuilder().add("p", bigParams).build()),
                                m.nonce(),
                                m.salt()))));
    for (Bad bad : cases) {
      assertError(
          () -> user.backupPut(bad.change().apply(good)), 400, "Bad Request", bad.message());
    }
    // kdfParams must be an object, which the typed client cannot get wrong: raw.
    String raw =
        "{\"encryptedBundle\":\"AAAA\",\"checksum\":\""
            + hex(new byte[3])
            + "\",\"encryptionMetadata\":{\"algorithm\":\"aes-256-gcm\",\"nonce\":\"AAAA\","
            + "\"salt\":\"\",\"kdfParams\":[1,2]}}";
    assertError(
        server.postJson(
            "/xrpc/" + Put.NSID,
            raw,
            "Authorization",
            "Bearer " + who.token(server.serviceDid(), Put.NSID)),
        400,
        "Bad Request",
        "kdfParams");

    assertThat(user.backupListVersions().versions(), empty());
    assertThat(user.backupPut(good).version(), equalTo(1L));
  }

  private record Bad(String message, UnaryOperator<Put.Input> change) {}

  private static String hex(byte[] bytes) {
    try {
      return sha256Hex(bytes);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static Put.Input withBundle(Put.Input in, String bundle, String checksum) {
    return new Put.Input(bundle, in.encryptionMetadata(), checksum, in.expectedVersion());
  }

  private static Put.Input withMetadata(
      Put.Input in, UnaryOperator<Defs.EncryptionMetadata> change) {
    return new Put.Input(
        in.encryptedBundle(),
        change.apply(in.encryptionMetadata()),
        in.checksum(),
        in.expectedVersion());
  }

  private static Defs.EncryptionMetadata metadata(
      String algorithm,
      Optional<String> kdf,
      Optional<JsonObject> kdfParams,
      String nonce,
      String salt) {
    return new Defs.EncryptionMetadata(algorithm, kdf, kdfParams, nonce, salt);
  }
}
