package dev.atpkeyserver.server.keypair;

import static dev.atpkeyserver.server.testing.Inputs.publicKeyOf;
import static dev.atpkeyserver.server.testing.Inputs.rotation;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;

import dev.atpkeyserver.lexicon.alpha.keypair.Rotate;
import dev.atpkeyserver.lexicon.client.KeyserverClient;
import dev.atpkeyserver.server.crypto.MasterKey;
import dev.atpkeyserver.server.testing.KeyserverExtension;
import dev.atpkeyserver.server.testing.KeyserverProcess;
import dev.atpkeyserver.server.testing.TestDatabase;
import dev.atpkeyserver.server.testing.TestUser;
import dev.atpkeyserver.xrpc.client.XrpcClient;
import dev.atpkeyserver.xrpc.client.XrpcClientException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two keyserver processes on one PostgreSQL database rotate one user's keypair at once: the owner
 * row lock must serialise them across processes as it does within one.
 */
class TwoProcessRotationTest {

  private static final int ROTATIONS = 100;

  /** Only for its DID directory: the keyservers here are processes of their own. */
  @RegisterExtension static final KeyserverExtension keyserver = new KeyserverExtension();

  /** One rotation's answer: its output, or the error it got. */
  private record Answer(Optional<Rotate.Output> output, Optional<XrpcClientException> error) {}

  @Test
  @DisplayName("100 rotations split across two processes on one POSTGRES stay contiguous")
  void rotationsFromTwoProcessesSerialise(@TempDir Path dir) throws Exception {
    TestDatabase.Fresh database = TestDatabase.POSTGRES.create();
    List<KeyserverProcess> processes = new ArrayList<>();
    try {
      Map<String, String> environment = environment(database);
      // Both at once, as in a rolling deploy: Flyway's lock and the master key check's
      // insert-if-absent must let two instances initialise one database side by side.
      long launched = System.nanoTime();
      for (String name : List.of("a", "b")) {
        Path workingDir = Files.createDirectory(dir.resolve(name));
        Map<String, String> own = new HashMap<>(environment);
        own.put("KEYSERVER_DATA_DIR", workingDir.toString());
        processes.add(KeyserverProcess.start(own, workingDir));
      }
      for (KeyserverProcess process : processes) {
        process.awaitListening(Duration.ofSeconds(30));
      }
      long startupMillis = (System.nanoTime() - launched) / 1_000_000;
      TestUser user = keyserver.newUser();

      long start = System.nanoTime();
      List<Answer> answers = rotateInParallel(processes, user);
      long burstMillis = (System.nanoTime() - start) / 1_000_000;

      List<Long> newVersions = new ArrayList<>();
      List<String> wrong = new ArrayList<>();
      int unavailable = 0;
      for (Answer answer : answers) {
        if (answer.output().isPresent()) {
          newVersions.add(answer.output().get().newVersion());
        } else if (isUnavailable(answer.error().orElseThrow())) {
          unavailable++;
        } else {
          wrong.add(answer.error().orElseThrow().getMessage());
        }
      }
      System.out.println(
          ("two-process test: both processes listening after %d ms; %d rotations in %d ms"
                  + " across them: %d answered 200, %d 503")
              .formatted(startupMillis, ROTATIONS, burstMillis, newVersions.size(), unavailable));

      assertThat(wrong, empty());
      // Version 1 is created by the first rotation; each success adds one.
      int latest = newVersions.size() + 1;
      assertThat(new HashSet<>(newVersions).size(), equalTo(newVersions.size()));
      assertThat(
          Set.copyOf(newVersions),
          equalTo(Set.copyOf(LongStream.rangeClosed(2, latest).boxed().toList())));
      assertThat(storedVersions(database, user), equalTo(activeOnlyAt(latest)));
      for (KeyserverProcess process : processes) {
        KeyserverClient anyone = new KeyserverClient(client(process).build());
        assertThat(
            anyone.keypairGetPublicKey(publicKeyOf(user.did())).version(), equalTo((long) latest));
      }
    } catch (Throwable failure) {
      for (KeyserverProcess process : processes) {
        System.out.println("two-process test: process output:\n" + process.output());
      }
      throw failure;
    } finally {
      processes.forEach(KeyserverProcess::close);
      database.drop();
    }
  }

  private static Map<String, String> environment(TestDatabase.Fresh database) throws Exception {
    Map<String, String> environment = new HashMap<>();
    environment.put("SERVER_PORT", "0");
    environment.put("SERVER_HOST", "127.0.0.1");
    environment.put("KEYSERVER_DB_URL", database.settings().url());
    database.settings().username().ifPresent(u -> environment.put("KEYSERVER_DB_USERNAME", u));
    environment.put("KEYSERVER_MASTER_KEY", MasterKey.generateJson());
    environment.put("KEYSERVER_PLC_URL", keyserver.directory().url());
    environment.put("KEYSERVER_SERVICE_DID", KeyserverExtension.SERVICE_DID);
    environment.put("KEYSERVER_DID_WEB_ALLOW_LOCAL_HOSTS", "true");
    // 100 rotations of one user are far past the 10-an-hour budget; this test is about locking.
    environment.put("KEYSERVER_RATE_LIMIT_ENABLED", "false");
    return environment;
  }

  /** The typed client's builder for a process, strict about the lexicons. */
  private static XrpcClient.Builder client(KeyserverProcess process) {
    return XrpcClient.builder(process.baseUri()).timeout(Duration.ofSeconds(30)).strict();
  }

  /** Fires {@link #ROTATIONS} rotations at once, alternating between the processes. */
  private static List<Answer> rotateInParallel(List<KeyserverProcess> processes, TestUser user)
      throws Exception {
    CountDownLatch go = new CountDownLatch(1);
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<Answer>> futures = new ArrayList<>();
      for (int i = 0; i < ROTATIONS; i++) {
        KeyserverClient rotating =
            new KeyserverClient(
                client(processes.get(i % processes.size()))
                    .serviceAuth(user.tokensFor(KeyserverExtension.SERVICE_DID))
                    .build());
        futures.add(
            pool.submit(
                () -> {
                  go.await();
                  try {
                    return new Answer(
                        Optional.of(rotating.keypairRotate(rotation())), Optional.empty());
                  } catch (XrpcClientException e) {
                    return new Answer(Optional.empty(), Optional.of(e));
                  }
                }));
      }
      go.countDown();
      List<Answer> answers = new ArrayList<>();
      for (Future<Answer> future : futures) {
        answers.add(future.get());
      }
      return answers;
    }
  }

  /** Each stored version of the user's keypair, mapped to whether it is the active one. */
  private static Map<Integer, Boolean> storedVersions(TestDatabase.Fresh database, TestUser user)
      throws Exception {
    Map<Integer, Boolean> versions = new HashMap<>();
    try (Connection connection =
            DriverManager.getConnection(
                database.settings().url(), database.settings().username().orElse(null), null);
        PreparedStatement query =
            connection.prepareStatement(
                "SELECT version, active FROM keypair_versions WHERE did = ?")) {
      query.setString(1, user.did());
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          versions.put(rows.getInt("version"), rows.getObject("active") != null);
        }
      }
    }
    return versions;
  }

  /** Versions 1..latest, only {@code latest} active. */
  private static Map<Integer, Boolean> activeOnlyAt(int latest) {
    Map<Integer, Boolean> expected = new HashMap<>();
    for (int version = 1; version <= latest; version++) {
      expected.put(version, version == latest);
    }
    return expected;
  }

  /** The contract's 503, exactly (the strict client allows no other member in the body). */
  private static boolean isUnavailable(XrpcClientException e) {
    return e.status() == 503
        && e.error().equals("Service Unavailable")
        && e.errorMessage().equals(Optional.of("Database busy or unavailable, try again"));
  }
}
