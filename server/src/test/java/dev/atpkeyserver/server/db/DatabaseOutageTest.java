package dev.atpkeyserver.server.db;

import static dev.atpkeyserver.server.testing.Inputs.activeKeypair;
import static dev.atpkeyserver.server.testing.Inputs.groupKey;
import static dev.atpkeyserver.server.testing.Inputs.logs;
import static dev.atpkeyserver.server.testing.Inputs.publicKeyOf;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import dev.atpkeyserver.lexicon.alpha.group.GetKey;
import dev.atpkeyserver.lexicon.alpha.keypair.GetKeypair;
import dev.atpkeyserver.lexicon.alpha.keypair.GetPublicKey;
import dev.atpkeyserver.lexicon.alpha.keypair.Rotate;
import dev.atpkeyserver.server.testing.Json;
import dev.atpkeyserver.server.testing.KeyserverExtension;
import dev.atpkeyserver.server.testing.PrivatePostgres;
import dev.atpkeyserver.server.testing.TestServer;
import dev.atpkeyserver.server.testing.TestUser;
import io.helidon.dbclient.DbRow;
import jakarta.json.JsonObject;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * PostgreSQL stopped and started under load, on a private cluster: every failed request is a prompt
 * 503 in the contract's format, the server recovers without a restart, and no acknowledged rotation
 * or key read is lost or duplicated. The load is raw HTTP, since what is checked is each answer as
 * sent (status, exact body, time); set-up and the checks afterwards use the typed client.
 */
class DatabaseOutageTest {

  private static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(1);

  /**
   * How long any request may take. A request fails at its first statement that finds no connection,
   * after at most one connection timeout; it may have spent up to another one acquiring a
   * connection for an earlier statement just before the stop (a dead pooled connection is evicted
   * and replaced within that wait). The rest is slack for a loaded 2-core machine.
   */
  private static final Duration ANSWER_BOUND =
      CONNECTION_TIMEOUT.multipliedBy(2).plus(Duration.ofSeconds(3));

  private static final Duration OUTAGE = Duration.ofSeconds(3);
  private static final int THREADS = 6;
  private static final String PREFIX = "/xrpc/";

  private static final JsonObject UNAVAILABLE =
      Json.parse(
          "{\"error\":\"Service Unavailable\","
              + "\"message\":\"Database busy or unavailable, try again\"}");

  @RegisterExtension
  static final KeyserverExtension servers =
      new KeyserverExtension(
          Map.of("keyserver.db.connection-timeout", "PT" + CONNECTION_TIMEOUT.toSeconds() + "S"));

  /** One request's outcome; status -1 when no answer came within {@link #ANSWER_BOUND}. */
  private record Outcome(
      String method, TestUser owner, long startNanos, long endNanos, int status, String body) {
    long millis() {
      return (endNanos - startNanos) / 1_000_000;
    }
  }

  @Test
  @DisplayName(
      "requests during a POSTGRES outage answer 503 promptly and recover without a restart")
  void requestsDuringAnOutageAnswer503AndTheServerRecovers() throws Exception {
    try (PrivatePostgres postgres = PrivatePostgres.start();
        TestServer server =
            servers.startOn(
                new DatabaseSettings(
                    postgres.jdbcUrl(), Optional.of(postgres.user()), Optional.empty(), 8))) {
      List<TestUser> users = IntStream.range(0, 3).mapToObj(i -> servers.newUser()).toList();
      String groupId = users.get(0).did() + "#outage";
      ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
      for (TestUser user : users) {
        server.as(user).keypairGetKeypair(activeKeypair());
      }
      server.as(users.get(0)).groupGetKey(groupKey(groupId));

      AtomicBoolean running = new AtomicBoolean(true);
      List<Thread> load = new ArrayList<>();
      for (int i = 0; i < THREADS; i++) {
        load.add(
            Thread.ofPlatform()
                .name("outage-load-" + i)
                .start(() -> generateLoad(server, users, groupId, running, outcomes)));
      }
      List<Phase> phases = new ArrayList<>();
      try {
        Thread.sleep(1_000);
        for (String mode : List.of("fast", "immediate")) {
          postgres.stopServer(mode);
          // From here until the start returns, PostgreSQL accepts nothing.
          long stopped = System.nanoTime();
          Thread.sleep(OUTAGE.toMillis());
          postgres.startServer();
          long restarted = System.nanoTime();
          Thread.sleep(OUTAGE.toMillis());
          phases.add(Phase.of(mode, stopped, restarted, List.copyOf(outcomes)));
        }
      } finally {
        running.set(false);
        for (Thread thread : load) {
          thread.join(ANSWER_BOUND.toMillis() * 3);
        }
      }
      List<Outcome> all = List.copyOf(outcomes);
      phases.forEach(System.out::println);
      System.out.println("outage test: " + all.size() + " requests in all, " + countByStatus(all));

      assertEveryFailureIsAPrompt503(all);
      for (Phase phase : phases) {
        // The outage was real: requests met it, and were answered 503.
        assertThat(phase.toString(), phase.byStatus().getOrDefault(503, 0L), greaterThan(0L));
        assertThat(phase.toString(), phase.byStatus().containsKey(200), equalTo(false));
        assertThat(phase.toString(), phase.recoveryMillis(), greaterThanOrEqualTo(0L));
      }
      // Log counts first: the checks below read public keys, which adds entries.
      assertReadsAreLogged(server, users, all);
      for (TestUser user : users) {
        assertRotationsIntact(server, user, all);
      }
    }
  }

  private static void generateLoad(
      TestServer server,
      List<TestUser> users,
      String groupId,
      AtomicBoolean running,
      ConcurrentLinkedQueue<Outcome> outcomes) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    while (running.get()) {
      TestUser user = users.get(random.nextInt(users.size()));
      Outcome outcome =
          switch (random.nextInt(4)) {
            case 0 -> call(server, user, Rotate.NSID, user, Optional.of("{}"), "");
            case 1 -> call(server, user, GetPublicKey.NSID, null, Optional.empty(), did(user));
            case 2 -> call(server, user, GetKeypair.NSID, user, Optional.empty(), "");
            default ->
                call(
                    server,
                    users.get(0),
                    GetKey.NSID,
                    users.get(0),
                    Optional.empty(),
                    "group_id=" + encode(groupId));
          };
      outcomes.add(outcome);
      try {
        // A bounded load: a few hundred requests a second, not a benchmark.
        Thread.sleep(5);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private static String did(TestUser user) {
    return "did=" + encode(user.did());
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  /** Calls {@code method} for {@code owner}'s key, as {@code caller} ({@code null}: anonymous). */
  private static Outcome call(
      TestServer server,
      TestUser owner,
      String method,
      TestUser caller,
      Optional<String> jsonBody,
      String query) {
    HttpRequest.Builder request =
        server
            .request(PREFIX + method + (query.isEmpty() ? "" : "?" + query))
            .timeout(ANSWER_BOUND);
    if (caller != null) {
      request.header("Authorization", "Bearer " + caller.token(server.serviceDid(), method));
    }
    jsonBody.ifPresentOrElse(
        json ->
            request
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)),
        request::GET);
    long start = System.nanoTime();
    try {
      HttpResponse<String> response = server.send(request.build());
      return new Outcome(
          method, owner, start, System.nanoTime(), response.statusCode(), response.body());
    } catch (UncheckedIOException e) {
      // A timeout (or a dropped connection): the hang this test is about.
      return new Outcome(method, owner, start, System.nanoTime(), -1, e.getCause().toString());
    }
  }

  /**
   * One stop and start: the requests started while PostgreSQL was down (after {@code pg_ctl stop}
   * returned, before {@code pg_ctl start} did), by status, and the recovery time, from the moment
   * PostgreSQL accepted connections again to the end of the first successful request started after
   * it (-1: none succeeded).
   */
  private record Phase(
      String mode,
      int requests,
      Map<Integer, Long> byStatus,
      long slowestMillis,
      long recoveryMillis,
      long failuresAfterRestart) {

    static Phase of(String mode, long stopped, long restarted, List<Outcome> outcomes) {
      List<Outcome> during =
          outcomes.stream()
              .filter(o -> o.startNanos() >= stopped && o.startNanos() < restarted)
              .toList();
      List<Outcome> after = outcomes.stream().filter(o -> o.startNanos() >= restarted).toList();
      return new Phase(
          mode,
          during.size(),
          countByStatus(during),
          during.stream().mapToLong(Outcome::millis).max().orElse(0),
          after.stream()
              .filter(o -> o.status() == 200)
              .mapToLong(o -> (o.endNanos() - restarted) / 1_000_000)
              .min()
              .orElse(-1),
          after.stream().filter(o -> o.status() != 200).count());
    }

    @Override
    public String toString() {
      return ("outage test, stop -m %s: %d requests during the outage %s, slowest %d ms;"
              + " first success %d ms after PostgreSQL accepted connections again"
              + " (%d failures after it)")
          .formatted(mode, requests, byStatus, slowestMillis, recoveryMillis, failuresAfterRestart);
    }
  }

  private static Map<Integer, Long> countByStatus(List<Outcome> outcomes) {
    return outcomes.stream()
        .collect(Collectors.groupingBy(Outcome::status, TreeMap::new, Collectors.counting()));
  }

  private static void assertEveryFailureIsAPrompt503(List<Outcome> outcomes) {
    List<String> wrong = new ArrayList<>();
    for (Outcome o : outcomes) {
      if (o.millis() > ANSWER_BOUND.toMillis()) {
        wrong.add(o.method() + " took " + o.millis() + " ms");
      }
      if (o.status() == 200) {
        continue;
      }
      if (o.status() != 503 || !isUnavailableBody(o.body())) {
        wrong.add(o.method() + " answered " + o.status() + " " + o.body());
      }
    }
    assertThat(wrong.stream().distinct().limit(20).toList(), empty());
  }

  private static boolean isUnavailableBody(String body) {
    try {
      return Json.parse(body).equals(UNAVAILABLE);
    } catch (RuntimeException notJson) {
      return false;
    }
  }

  /**
   * Every acknowledged rotation is stored once, versions are contiguous with exactly one active
   * (the newest), and the API serves the database's active key.
   */
  private static void assertRotationsIntact(TestServer server, TestUser user, List<Outcome> all) {
    List<Integer> acknowledged =
        all.stream()
            .filter(o -> o.owner() == user && o.method().equals(Rotate.NSID))
            .filter(o -> o.status() == 200)
            .map(o -> Json.parse(o.body()).getInt("newVersion"))
            .toList();
    assertThat(acknowledged.size(), greaterThan(0));
    assertThat(
        "no version acknowledged twice",
        Set.copyOf(acknowledged).size(),
        equalTo(acknowledged.size()));

    List<DbRow> rows =
        server
            .database()
            .execute()
            .query(
                "SELECT version, active, public_key FROM keypair_versions WHERE did = ?"
                    + " ORDER BY version",
                user.did())
            .toList();
    List<Integer> versions = rows.stream().map(r -> r.column("version").getInt()).toList();
    assertThat(versions, equalTo(IntStream.rangeClosed(1, versions.size()).boxed().toList()));
    for (int version : acknowledged) {
      assertThat(versions, hasItem(version));
    }
    List<DbRow> active =
        rows.stream().filter(r -> r.column("active").get(Boolean.class) != null).toList();
    assertThat(active.size(), equalTo(1));
    int activeVersion = active.get(0).column("version").getInt();
    assertThat(activeVersion, equalTo(versions.size()));

    GetPublicKey.Output served = server.anonymous().keypairGetPublicKey(publicKeyOf(user.did()));
    assertThat(served.version(), equalTo((long) activeVersion));
    assertThat(
        served.publicKey(),
        equalTo(HexFormat.of().formatHex(active.get(0).column("public_key").get(byte[].class))));
  }

  /**
   * The access-log writer outlived the outage: once a log read has flushed it, every key read
   * answered 200 has its entry (a read that failed after queueing its entry may add one more).
   */
  private static void assertReadsAreLogged(
      TestServer server, List<TestUser> users, List<Outcome> all) {
    for (TestUser user : users) {
      server.as(user).accessLogsGetLogs(logs(1));
      long answered =
          all.stream()
              .filter(o -> o.owner() == user && o.status() == 200)
              .filter(o -> !o.method().equals(Rotate.NSID))
              .count();
      long logged =
          server
              .database()
              .execute()
              .get("SELECT COUNT(*) AS n FROM access_logs WHERE owner_did = ?", user.did())
              .orElseThrow()
              .column("n")
              .getLong();
      System.out.println(
          "outage test: " + user + ": " + answered + " reads answered 200, " + logged + " logged");
      // The set-up reads before the load are logged too: one getKeypair, and the group's first
      // read.
      long setUp = user == users.get(0) ? 2 : 1;
      assertThat(
          "no read answered 200 lost its entry", logged, greaterThanOrEqualTo(answered + setUp));
      long failedReads = countFailedReads(user, all);
      System.out.println(
          "outage test: "
              + (logged - answered - setUp)
              + " entries beyond the reads answered 200, of "
              + failedReads
              + " failed reads");
      // A read may fail after queueing its entry; beyond that, an entry written twice is a bug.
      assertThat(
          "no entry written twice", logged, lessThanOrEqualTo(answered + setUp + failedReads));
    }
  }

  private static long countFailedReads(TestUser user, List<Outcome> all) {
    return all.stream()
        .filter(o -> o.owner() == user && o.status() != 200)
        .filter(o -> !o.method().equals(Rotate.NSID))
        .count();
  }
}
