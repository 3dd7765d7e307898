package dev.atpkeyserver.server.api;

import static dev.atpkeyserver.server.testing.ApiClient.encode;
import static dev.atpkeyserver.server.testing.Responses.assertError;
import static dev.atpkeyserver.server.testing.Responses.ok;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import dev.atpkeyserver.server.accesslog.AccessLogEntry;
import dev.atpkeyserver.server.accesslog.AccessLogEntry.KeyType;
import dev.atpkeyserver.server.accesslog.AccessLogRepository;
import dev.atpkeyserver.server.accesslog.Accessor;
import dev.atpkeyserver.server.testing.ApiClient;
import dev.atpkeyserver.server.testing.ApiServers;
import dev.atpkeyserver.server.testing.DidDirectory;
import dev.atpkeyserver.server.testing.KeyserverExtension;
import dev.atpkeyserver.server.testing.TestDatabase;
import dev.atpkeyserver.server.testing.TestServer;
import dev.atpkeyserver.server.testing.TestUser;
import jakarta.json.JsonObject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Cursor pagination of {@code accessLogs.getLogs}, {@code keypair.listVersions} and {@code
 * group.listVersions}, end to end on each database.
 */
class PaginationApiTest {

  private static final DidDirectory directory = new DidDirectory();

  @RegisterExtension
  static final KeyserverExtension servers = ApiServers.resolvingThrough(directory);

  private static final AccessLogRepository LOGS = new AccessLogRepository();
  private static final String STORED_IP = "192.0.2.1";

  /** A fresh user on the server of {@code db}. */
  private static ApiClient newUser(TestDatabase db, TestUser user) {
    return new ApiClient(servers.on(db), user);
  }

  /**
   * Stores entries for {@code owner} whose versions are 1..count, at {@code timeOf(i)}, in
   * insertion order (so ascending ids): listed newest first, a log whose times do not decrease with
   * i reads count, count-1, ..., 1.
   */
  private static void storeLog(TestServer server, String owner, int count, Instant[] times) {
    storeLog(server, owner, count, times, STORED_IP);
  }

  private static void storeLog(
      TestServer server, String owner, int count, Instant[] times, String ip) {
    List<AccessLogEntry> entries = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      entries.add(
          new AccessLogEntry(
              owner,
              KeyType.KEYPAIR,
              Optional.empty(),
              i,
              times[i - 1],
              new Accessor(Optional.empty(), Optional.of(ip), Optional.empty())));
    }
    LOGS.insertBatch(server.database().execute(), entries);
  }

  /** Microsecond times (what both databases store), {@code step} apart, the last a minute ago. */
  private static Instant[] times(int count, int... tiedGroups) {
    Instant base = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MICROS);
    Instant[] times = new Instant[count];
    for (int i = 0; i < count; i++) {
      times[i] = base.plusNanos(1_001_000L * (tiedGroups.length == 0 ? i : tiedGroups[i]));
    }
    return times;
  }

  /** Every page of {@code method}, following cursors; each page's versions in a list. */
  private static List<List<Integer>> pages(
      ApiClient user, String method, String array, String query) {
    List<List<Integer>> pages = new ArrayList<>();
    Optional<String> cursor = Optional.empty();
    do {
      String q = query + cursor.map(c -> "&cursor=" + encode(c)).orElse("");
      JsonObject body = ok(user.query(method, q));
      pages.add(
          body.getJsonArray(array).getValuesAs(JsonObject.class).stream()
              .map(v -> v.getInt("version"))
              .toList());
      cursor =
          body.containsKey("cursor") ? Optional.of(body.getString("cursor")) : Optional.empty();
      assertThat("no page without items carries a cursor", pages.size() < 100, equalTo(true));
    } while (cursor.isPresent());
    return pages;
  }

  private static List<Integer> descending(int from, int to) {
    return IntStream.iterate(from, i -> i >= to, i -> i - 1).boxed().toList();
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void getLogsPagesThroughTwoAndThreePagesWithTiesBrokenById(TestDatabase db) {
    TestUser alice = directory.publish(TestUser.plc());
    ApiClient user = newUser(db, alice);
    // Entries 3, 4 and 5 share one accessed_at, 6 and 7 another: pages of 3 cut through a tie.
    storeLog(servers.on(db), alice.did(), 7, times(7, 0, 0, 1, 1, 1, 2, 2));

    assertThat(
        pages(user, "accessLogs.getLogs", "logs", "limit=3"),
        equalTo(List.of(List.of(7, 6, 5), List.of(4, 3, 2), List.of(1))));
    assertThat(
        pages(user, "accessLogs.getLogs", "logs", "limit=4"),
        equalTo(List.of(List.of(7, 6, 5, 4), List.of(3, 2, 1))));
    assertThat(
        pages(user, "accessLogs.getLogs", "logs", "limit=2"),
        equalTo(List.of(List.of(7, 6), List.of(5, 4), List.of(3, 2), List.of(1))));
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void getLogsPagesThroughEntriesThatAllShareOneTime(TestDatabase db) {
    TestUser alice = directory.publish(TestUser.plc());
    storeLog(servers.on(db), alice.did(), 5, times(5, 0, 0, 0, 0, 0));

    assertThat(
        pages(newUser(db, alice), "accessLogs.getLogs", "logs", "limit=2"),
        equalTo(List.of(List.of(5, 4), List.of(3, 2), List.of(1))));
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void aPageOfExactlyTheRemainingEntriesHasNoCursor(TestDatabase db) {
    TestUser alice = directory.publish(TestUser.plc());
    ApiClient user = newUser(db, alice);
    storeLog(servers.on(db), alice.did(), 4, times(4));

    JsonObject exact = ok(user.query("accessLogs.getLogs", "limit=4"));
    JsonObject more = ok(user.query("accessLogs.getLogs", "limit=5"));
    JsonObject cut = ok(user.query("accessLogs.getLogs", "limit=2"));
    JsonObject rest =
        ok(user.query("accessLogs.getLogs", "limit=2&cursor=" + encode(cut.getString("cursor"))));

    assertThat(exact.keySet(), contains("logs"));
    assertThat(exact.getJsonArray("logs").size(), equalTo(4));
    assertThat(more.keySet(), contains("logs"));
    assertThat(cut.keySet(), contains("logs", "cursor"));
    // The last page is exactly full: it has no cursor, rather than one to an empty page.
    assertThat(rest.keySet(), contains("logs"));
    assertThat(rest.getJsonArray("logs").size(), equalTo(2));
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void getLogsKeepsItsDefaultLimitAndAnswersWithoutACursorAsBefore(TestDatabase db) {
    TestUser alice = directory.publish(TestUser.plc());
    ApiClient user = newUser(db, alice);
    storeLog(servers.on(db), alice.did(), 50, times(50));

    JsonObject fifty = ok(user.query("accessLogs.getLogs", ""));
    assertThat(fifty.keySet(), contains("logs"));
    assertThat(fifty.getJsonArray("logs").size(), equalTo(50));

    storeLog(servers.on(db), alice.did(), 1, times(1));
    JsonObject fiftyOne = ok(user.query("accessLogs.getLogs", ""));
    assertThat(fiftyOne.getJsonArray("logs").size(), equalTo(50));
    JsonObject last =
        ok(user.query("accessLogs.getLogs", "cursor=" + encode(fiftyOne.getString("cursor"))));
    assertThat(last.keySet(), contains("logs"));
    assertThat(last.getJsonArray("logs").size(), equalTo(1));
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void entriesWrittenWhilePagingCauseNoDuplicatesOrGaps(TestDatabase db) throws Exception {
    TestServer server = servers.on(db);
    TestUser alice = directory.publish(TestUser.plc());
    ApiClient user = newUser(db, alice);
    storeLog(server, alice.did(), 9, times(9, 0, 1, 1, 2, 3, 3, 3, 4, 5));

    List<Integer> seen = new ArrayList<>();
    JsonObject page = ok(user.query("accessLogs.getLogs", "limit=4"));
    String publicKey =
        "/xrpc/dev.atpkeyserver.alpha.keypair.getPublicKey?did=" + encode(alice.did());
    ok(user.query("keypair.getKeypair", ""));
    try (ExecutorService readers = Executors.newFixedThreadPool(4)) {
      while (true) {
        page.getJsonArray("logs").getValuesAs(JsonObject.class).stream()
            .filter(l -> l.getString("ip").equals(STORED_IP))
            .forEach(l -> seen.add(l.getInt("version")));
        if (!page.containsKey("cursor")) {
          break;
        }
        // New entries land in the log while the next page is read: real reads, newer than
        // anything listed, and late arrivals (another instance's queue, say) with a time older
        // than every entry, which may show up on later pages but must not displace any.
        List<Future<?>> reads = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
          reads.add(readers.submit(() -> ok(server.get(publicKey))));
        }
        Instant[] older = {Instant.now().minus(2, ChronoUnit.HOURS)};
        storeLog(server, alice.did(), 1, older, "198.51.100.7");
        String cursor = page.getString("cursor");
        page = ok(user.query("accessLogs.getLogs", "limit=4&cursor=" + encode(cursor)));
        for (Future<?> read : reads) {
          read.get();
        }
      }
    }

    assertThat(seen, equalTo(descending(9, 1)));
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void anotherUsersCursorOnlyPositionsThePageInTheCallersOwnLog(TestDatabase db) {
    TestServer server = servers.on(db);
    TestUser alice = directory.publish(TestUser.plc());
    TestUser bob = directory.publish(TestUser.plc());
    Instant[] times = times(6);
    storeLog(server, alice.did(), 3, new Instant[] {times[1], times[3], times[5]}, "192.0.2.10");
    storeLog(server, bob.did(), 2, new Instant[] {times[0], times[2]}, "192.0.2.20");

    String alicesCursor =
        ok(newUser(db, alice).query("accessLogs.getLogs", "limit=1")).getString("cursor");
    JsonObject asBob =
        ok(newUser(db, bob).query("accessLogs.getLogs", "cursor=" + encode(alicesCursor)));

    // Bob sees his own two entries older than that position, never one of Alice's.
    assertThat(
        asBob.getJsonArray("logs").getValuesAs(JsonObject.class).stream()
            .map(l -> l.getString("ip"))
            .toList(),
        contains("192.0.2.20", "192.0.2.20"));
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void keypairVersionsPageNewestFirstAndAreAllReturnedWithoutALimit(TestDatabase db) {
    ApiClient user = newUser(db, directory.publish(TestUser.plc()));
    ok(user.query("keypair.getKeypair", ""));
    for (int i = 0; i < 4; i++) {
      ok(user.procedure("keypair.rotate", "{}"));
    }

    JsonObject all = ok(user.query("keypair.listVersions", ""));
    assertThat(all.keySet(), contains("versions"));
    assertThat(all.getJsonArray("versions").size(), equalTo(5));
    assertThat(
        pages(user, "keypair.listVersions", "versions", "limit=2"),
        equalTo(List.of(List.of(5, 4), List.of(3, 2), List.of(1))));
    assertThat(
        pages(user, "keypair.listVersions", "versions", "limit=3"),
        equalTo(List.of(List.of(5, 4, 3), List.of(2, 1))));
    assertThat(
        pages(user, "keypair.listVersions", "versions", "limit=5"),
        equalTo(List.of(List.of(5, 4, 3, 2, 1))));
    // A cursor without a limit: everything after it.
    String cursor = ok(user.query("keypair.listVersions", "limit=1")).getString("cursor");
    JsonObject rest = ok(user.query("keypair.listVersions", "cursor=" + encode(cursor)));
    assertThat(rest.keySet(), contains("versions"));
    assertThat(rest.getJsonArray("versions").size(), equalTo(4));
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void rotationsWhilePagingVersionsCauseNoDuplicatesOrGaps(TestDatabase db) {
    ApiClient user = newUser(db, directory.publish(TestUser.plc()));
    ok(user.query("keypair.getKeypair", ""));
    for (int i = 0; i < 4; i++) {
      ok(user.procedure("keypair.rotate", "{}"));
    }

    JsonObject first = ok(user.query("keypair.listVersions", "limit=2"));
    ok(user.procedure("keypair.rotate", "{}"));
    ok(user.procedure("keypair.rotate", "{}"));
    JsonObject second =
        ok(
            user.query(
                "keypair.listVersions", "limit=2&cursor=" + encode(first.getString("cursor"))));
    JsonObject third =
        ok(
            user.query(
                "keypair.listVersions", "limit=2&cursor=" + encode(second.getString("cursor"))));

    List<Integer> seen = new ArrayList<>();
    for (JsonObject page : List.of(first, second, third)) {
      page.getJsonArray("versions").getValuesAs(JsonObject.class).stream()
          .map(v -> v.getInt("version"))
          .forEach(seen::add);
    }
    assertThat(seen, equalTo(descending(5, 1)));
    assertThat(third.containsKey("cursor"), equalTo(false));
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void groupVersionsPageForOwnerAndMembersOnly(TestDatabase db) {
    TestServer server = servers.on(db);
    TestUser ownerUser = directory.publish(TestUser.plc());
    TestUser memberUser = directory.publish(TestUser.plc());
    ApiClient owner = new ApiClient(server, ownerUser);
    ApiClient member = new ApiClient(server, memberUser);
    ApiClient outsider = new ApiClient(server, directory.publish(TestUser.plc()));
    String group = ownerUser.did() + "#paged";
    String groupQuery = "group_id=" + encode(group);
    ok(owner.query("group.getKey", groupQuery));
    for (int i = 0; i < 3; i++) {
      ok(owner.procedure("group.rotateKey", "{\"group_id\":\"" + group + "\"}"));
    }
    ok(
        owner.procedure(
            "group.addMember",
            "{\"group_id\":\"" + group + "\",\"member_did\":\"" + memberUser.did() + "\"}"));

    JsonObject all = ok(owner.query("group.listVersions", groupQuery));
    assertThat(all.keySet(), contains("groupId", "versions"));
    assertThat(all.getJsonArray("versions").size(), equalTo(4));
    assertThat(
        pages(owner, "group.listVersions", "versions", groupQuery + "&limit=3"),
        equalTo(List.of(List.of(4, 3, 2), List.of(1))));
    assertThat(
        pages(member, "group.listVersions", "versions", groupQuery + "&limit=2"),
        equalTo(List.of(List.of(4, 3), List.of(2, 1))));

    // A valid cursor opens nothing: the outsider is refused as without one.
    String cursor =
        ok(member.query("group.listVersions", groupQuery + "&limit=1")).getString("cursor");
    assertError(
        outsider.query("group.listVersions", groupQuery + "&limit=1&cursor=" + encode(cursor)),
        403,
        "Forbidden",
        "Not a member of this group");
    for (String limit : List.of("0", "-1", "1001", "x")) {
      assertError(
          owner.query("group.listVersions", groupQuery + "&limit=" + limit),
          400,
          "Bad Request",
          "limit");
      assertError(
          owner.query("keypair.listVersions", "limit=" + limit), 400, "Bad Request", "limit");
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void invalidCursorsAreABadRequestThatChangesNothing(TestDatabase db) {
    TestServer server = servers.on(db);
    TestUser ownerUser = directory.publish(TestUser.plc());
    ApiClient user = new ApiClient(server, ownerUser);
    String group = ownerUser.did() + "#cursors";
    String groupQuery = "group_id=" + encode(group);
    ok(user.query("group.getKey", groupQuery));
    ok(user.procedure("group.rotateKey", "{\"group_id\":\"" + group + "\"}"));
    ok(user.procedure("keypair.rotate", "{}"));
    storeLog(server, ownerUser.did(), 3, times(3));

    String logsCursor = ok(user.query("accessLogs.getLogs", "limit=1")).getString("cursor");
    String keypairCursor = ok(user.query("keypair.listVersions", "limit=1")).getString("cursor");
    String groupCursor =
        ok(user.query("group.listVersions", groupQuery + "&limit=1")).getString("cursor");
    String tampered =
        logsCursor.substring(0, 10)
            + (logsCursor.charAt(10) == 'A' ? 'B' : 'A')
            + logsCursor.substring(11);
    List<String> garbage =
        List.of("", "garbage", "-1", "-9223372036854775808", "%%%", "AAAAAAAAAAAAAA");

    for (String bad : concat(garbage, List.of(keypairCursor, groupCursor, tampered))) {
      assertError(
          user.query("accessLogs.getLogs", "cursor=" + encode(bad)),
          400,
          "Bad Request",
          "Invalid cursor");
    }
    for (String bad : concat(garbage, List.of(logsCursor, groupCursor))) {
      assertError(
          user.query("keypair.listVersions", "limit=1&cursor=" + encode(bad)),
          400,
          "Bad Request",
          "Invalid cursor");
    }
    for (String bad : concat(garbage, List.of(logsCursor, keypairCursor))) {
      assertError(
          user.query("group.listVersions", groupQuery + "&cursor=" + encode(bad)),
          400,
          "Bad Request",
          "Invalid cursor");
    }
    assertError(
        user.query("accessLogs.getLogs", "cursor=" + "A".repeat(129)),
        400,
        "Bad Request",
        "cursor");
    // Nothing was read, so nothing new was logged (3 stored entries and the group key read), and
    // the good cursors still work.
    JsonObject all = ok(user.query("accessLogs.getLogs", "limit=1000"));
    assertThat(all.getJsonArray("logs").size(), equalTo(4));
    assertThat(
        ok(user.query("keypair.listVersions", "cursor=" + encode(keypairCursor)))
            .getJsonArray("versions")
            .size(),
        equalTo(1));
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
