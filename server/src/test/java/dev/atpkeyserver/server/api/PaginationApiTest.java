package dev.atpkeyserver.server.api;

import static dev.atpkeyserver.server.testing.Inputs.activeKeypair;
import static dev.atpkeyserver.server.testing.Inputs.addMember;
import static dev.atpkeyserver.server.testing.Inputs.groupKey;
import static dev.atpkeyserver.server.testing.Inputs.groupRotation;
import static dev.atpkeyserver.server.testing.Inputs.groupVersions;
import static dev.atpkeyserver.server.testing.Inputs.keypairVersions;
import static dev.atpkeyserver.server.testing.Inputs.publicKeyOf;
import static dev.atpkeyserver.server.testing.Inputs.rotation;
import static dev.atpkeyserver.server.testing.Responses.assertError;
import static dev.atpkeyserver.server.testing.Responses.ok;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import dev.atpkeyserver.lexicon.alpha.Defs;
import dev.atpkeyserver.lexicon.alpha.accessLogs.GetLogs;
import dev.atpkeyserver.lexicon.alpha.keypair.ListVersions;
import dev.atpkeyserver.lexicon.client.KeyserverClient;
import dev.atpkeyserver.server.accesslog.AccessLogEntry;
import dev.atpkeyserver.server.accesslog.AccessLogEntry.KeyType;
import dev.atpkeyserver.server.accesslog.AccessLogRepository;
import dev.atpkeyserver.server.accesslog.Accessor;
import dev.atpkeyserver.server.testing.EachDatabase;
import dev.atpkeyserver.server.testing.KeyserverExtension;
import dev.atpkeyserver.server.testing.TestDatabase;
import dev.atpkeyserver.server.testing.TestServer;
import dev.atpkeyserver.server.testing.TestUser;
import jakarta.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.LongStream;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Cursor pagination of {@code accessLogs.getLogs}, {@code keypair.listVersions} and {@code
 * group.listVersions}, end to end on each database, through the typed client. The strict client
 * checks that a page without a cursor has no {@code cursor} member at all (not a null one) and
 * nothing else undeclared.
 */
class PaginationApiTest {

  @RegisterExtension static final KeyserverExtension keyserver = new KeyserverExtension();

  private static final AccessLogRepository LOGS = new AccessLogRepository();
  private static final String STORED_IP = "192.0.2.1";

  /** One page: the versions it lists, in order, and its cursor. */
  private record Page(List<Long> versions, Optional<String> cursor) {
    static Page of(GetLogs.Output logs) {
      return new Page(logs.logs().stream().map(Defs.AccessLog::version).toList(), logs.cursor());
    }

    static Page of(ListVersions.Output versions) {
      return new Page(
          versions.versions().stream().map(Defs.KeyVersion::version).toList(), versions.cursor());
    }

    static Page of(dev.atpkeyserver.lexicon.alpha.group.ListVersions.Output versions) {
      return new Page(
          versions.versions().stream().map(Defs.KeyVersion::version).toList(), versions.cursor());
    }
  }

  private static GetLogs.Params logs(long limit, Optional<String> cursor) {
    return new GetLogs.Params(limit, cursor);
  }

  private static ListVersions.Params keypairPage(long limit, Optional<String> cursor) {
    return new ListVersions.Params(Optional.of(limit), cursor);
  }

  private static dev.atpkeyserver.lexicon.alpha.group.ListVersions.Params groupPage(
      String groupId, long limit, Optional<String> cursor) {
    return new dev.atpkeyserver.lexicon.alpha.group.ListVersions.Params(
        groupId, Optional.of(limit), cursor);
  }

  /** Every page, following cursors from the first; each page's versions in a list. */
  private static List<List<Long>> pages(Function<Optional<String>, Page> fetch) {
    List<List<Long>> pages = new ArrayList<>();
    Optional<String> cursor = Optional.empty();
    do {
      Page page = fetch.apply(cursor);
      pages.add(page.versions());
      cursor = page.cursor();
      assertThat("no page without items carries a cursor", pages.size() < 100, equalTo(true));
    } while (cursor.isPresent());
    return pages;
  }

  private static List<List<Long>> logPages(KeyserverClient user, long limit) {
    return pages(cursor -> Page.of(user.accessLogsGetLogs(logs(limit, cursor))));
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

  private static List<Long> descending(long from, long to) {
    return LongStream.iterate(from, i -> i >= to, i -> i - 1).boxed().toList();
  }

  @EachDatabase
  void getLogsPagesThroughTwoAndThreePagesWithTiesBrokenById(TestDatabase db) {
    TestUser alice = keyserver.newUser();
    KeyserverClient user = keyserver.on(db).as(alice);
    // Entries 3, 4 and 5 share one accessed_at, 6 and 7 another: pages of 3 cut through a tie.
    storeLog(keyserver.on(db), alice.did(), 7, times(7, 0, 0, 1, 1, 1, 2, 2));

    assertThat(
        logPages(user, 3), equalTo(List.of(List.of(7L, 6L, 5L), List.of(4L, 3L, 2L), List.of(1L))));
    assertThat(logPages(user, 4), equalTo(List.of(List.of(7L, 6L, 5L, 4L), List.of(3L, 2L, 1L))));
    assertThat(
        logPages(user, 2),
        equalTo(List.of(List.of(7L, 6L), List.of(5L, 4L), List.of(3L, 2L), List.of(1L))));
  }

  @EachDatabase
  void getLogsPagesThroughEntriesThatAllShareOneTime(TestDatabase db) {
    TestUser alice = keyserver.newUser();
    storeLog(keyserver.on(db), alice.did(), 5, times(5, 0, 0, 0, 0, 0));

    assertThat(
        logPages(keyserver.on(db).as(alice), 2),
        equalTo(List.of(List.of(5L, 4L), List.of(3L, 2L), List.of(1L))));
  }

  @EachDatabase
  void aPageOfExactlyTheRemainingEntriesHasNoCursor(TestDatabase db) {
    TestUser alice = keyserver.newUser();
    KeyserverClient user = keyserver.on(db).as(alice);
    storeLog(keyserver.on(db), alice.did(), 4, times(4));

    GetLogs.Output exact = user.accessLogsGetLogs(logs(4, Optional.empty()));
    GetLogs.Output more = user.accessLogsGetLogs(logs(5, Optional.empty()));
    GetLogs.Output cut = user.accessLogsGetLogs(logs(2, Optional.empty()));
    GetLogs.Output rest = user.accessLogsGetLogs(logs(2, cut.cursor()));

    assertThat(exact.cursor(), equalTo(Optional.empty()));
    assertThat(exact.logs().size(), equalTo(4));
    assertThat(more.cursor(), equalTo(Optional.empty()));
    assertThat(cut.cursor().isPresent(), equalTo(true));
    // The last page is exactly full: it has no cursor, rather than one to an empty page.
    assertThat(rest.cursor(), equalTo(Optional.empty()));
    assertThat(rest.logs().size(), equalTo(2));
  }

  @EachDatabase
  void getLogsKeepsItsDefaultLimitAndAnswersWithoutACursorAsBefore(TestDatabase db) {
    // About a request without 'limit', which the typed client never sends: raw requests, answers
    // read with the generated record.
    TestServer server = keyserver.on(db);
    TestUser alice = keyserver.newUser();
    storeLog(server, alice.did(), 50, times(50));

    JsonObject fifty = rawLogs(server, alice, "");
    assertThat(fifty.keySet(), contains("logs"));
    assertThat(GetLogs.Output.fromJson(fifty, "").logs().size(), equalTo(50));

    storeLog(server, alice.did(), 1, times(1));
    GetLogs.Output fiftyOne = GetLogs.Output.fromJson(rawLogs(server, alice, ""), "");
    assertThat(fiftyOne.logs().size(), equalTo(50));
    JsonObject last = rawLogs(server, alice, "cursor=" + encode(fiftyOne.cursor().orElseThrow()));
    assertThat(last.keySet(), contains("logs"));
    assertThat(GetLogs.Output.fromJson(last, "").logs().size(), equalTo(1));
  }

  private static JsonObject rawLogs(TestServer server, TestUser user, String query) {
    return ok(
        server.get(
            "/xrpc/" + GetLogs.NSID + (query.isEmpty() ? "" : "?" + query),
            "Authorization",
            "Bearer " + user.token(server.serviceDid(), GetLogs.NSID)));
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  @EachDatabase
  void entriesWrittenWhilePagingCauseNoDuplicatesOrGaps(TestDatabase db) throws Exception {
    TestServer server = keyserver.on(db);
    TestUser alice = keyserver.newUser();
    KeyserverClient user = server.as(alice);
    KeyserverClient anyone = server.anonymous();
    storeLog(server, alice.did(), 9, times(9, 0, 1, 1, 2, 3, 3, 3, 4, 5));

    List<Long> seen = new ArrayList<>();
    GetLogs.Output page = user.accessLogsGetLogs(logs(4, Optional.empty()));
    user.keypairGetKeypair(activeKeypair());
    try (ExecutorService readers = Executors.newFixedThreadPool(4)) {
      while (true) {
        page.logs().stream()
            .filter(l -> l.ip().equals(Optional.of(STORED_IP)))
            .forEach(l -> seen.add(l.version()));
        if (page.cursor().isEmpty()) {
          break;
        }
        // New entries land in the log while the next page is read: real reads, newer than
        // anything listed, and late arrivals (another instance's queue, say) with a time older
        // than every entry, which may show up on later pages but must not displace any.
        List<Future<?>> reads = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
          reads.add(readers.submit(() -> anyone.keypairGetPublicKey(publicKeyOf(alice.did()))));
        }
        Instant[] older = {Instant.now().minus(2, ChronoUnit.HOURS)};
        storeLog(server, alice.did(), 1, older, "198.51.100.7");
        page = user.accessLogsGetLogs(logs(4, page.cursor()));
        for (Future<?> read : reads) {
          read.get();
        }
      }
    }

    assertThat(seen, equalTo(descending(9, 1)));
  }

  @EachDatabase
  void anotherUsersCursorOnlyPositionsThePageInTheCallersOwnLog(TestDatabase db) {
    TestServer server = keyserver.on(db);
    TestUser alice = keyserver.newUser();
    TestUser bob = keyserver.newUser();
    Instant[] times = times(6);
    storeLog(server, alice.did(), 3, new Instant[] {times[1], times[3], times[5]}, "192.0.2.10");
    storeLog(server, bob.did(), 2, new Instant[] {times[0], times[2]}, "192.0.2.20");

    Optional<String> alicesCursor =
        server.as(alice).accessLogsGetLogs(logs(1, Optional.empty())).cursor();
    GetLogs.Output asBob = server.as(bob).accessLogsGetLogs(logs(50, alicesCursor));

    // Bob sees his own two entries older than that position, never one of Alice's.
    assertThat(
        asBob.logs().stream().map(Defs.AccessLog::ip).toList(),
        equalTo(List.of(Optional.of("192.0.2.20"), Optional.of("192.0.2.20"))));
  }

  @EachDatabase
  void keypairVersionsPageNewestFirstAndAreAllReturnedWithoutALimit(TestDatabase db) {
    KeyserverClient user = keyserver.on(db).as(keyserver.newUser());
    user.keypairGetKeypair(activeKeypair());
    for (int i = 0; i < 4; i++) {
      user.keypairRotate(rotation());
    }

    ListVersions.Output all = user.keypairListVersions(keypairVersions());
    assertThat(all.cursor(), equalTo(Optional.empty()));
    assertThat(all.versions().size(), equalTo(5));
    assertThat(
        pages(cursor -> Page.of(user.keypairListVersions(keypairPage(2, cursor)))),
        equalTo(List.of(List.of(5L, 4L), List.of(3L, 2L), List.of(1L))));
    assertThat(
        pages(cursor -> Page.of(user.keypairListVersions(keypairPage(3, cursor)))),
        equalTo(List.of(List.of(5L, 4L, 3L), List.of(2L, 1L))));
    assertThat(
        pages(cursor -> Page.of(user.keypairListVersions(keypairPage(5, cursor)))),
        equalTo(List.of(List.of(5L, 4L, 3L, 2L, 1L))));
    // A cursor without a limit: everything after it.
    Optional<String> cursor = user.keypairListVersions(keypairPage(1, Optional.empty())).cursor();
    ListVersions.Output rest =
        user.keypairListVersions(new ListVersions.Params(Optional.empty(), cursor));
    assertThat(rest.cursor(), equalTo(Optional.empty()));
    assertThat(rest.versions().size(), equalTo(4));
  }

  @EachDatabase
  void rotationsWhilePagingVersionsCauseNoDuplicatesOrGaps(TestDatabase db) {
    KeyserverClient user = keyserver.on(db).as(keyserver.newUser());
    user.keypairGetKeypair(activeKeypair());
    for (int i = 0; i < 4; i++) {
      user.keypairRotate(rotation());
    }

    ListVersions.Output first = user.keypairListVersions(keypairPage(2, Optional.empty()));
    user.keypairRotate(rotation());
    user.keypairRotate(rotation());
    ListVersions.Output second = user.keypairListVersions(keypairPage(2, first.cursor()));
    ListVersions.Output third = user.keypairListVersions(keypairPage(2, second.cursor()));

    List<Long> seen = new ArrayList<>();
    for (ListVersions.Output page : List.of(first, second, third)) {
      page.versions().stream().map(Defs.KeyVersion::version).forEach(seen::add);
    }
    assertThat(seen, equalTo(descending(5, 1)));
    assertThat(third.cursor(), equalTo(Optional.empty()));
  }

  @EachDatabase
  void groupVersionsPageForOwnerAndMembersOnly(TestDatabase db) {
    TestServer server = keyserver.on(db);
    TestUser ownerUser = keyserver.newUser();
    TestUser memberUser = keyserver.newUser();
    KeyserverClient owner = server.as(ownerUser);
    KeyserverClient member = server.as(memberUser);
    KeyserverClient outsider = server.as(keyserver.newUser());
    String group = ownerUser.did() + "#paged";
    owner.groupGetKey(groupKey(group));
    for (int i = 0; i < 3; i++) {
      owner.groupRotateKey(groupRotation(group));
    }
    owner.groupAddMember(addMember(group, memberUser.did()));

    var all = owner.groupListVersions(groupVersions(group));
    assertThat(all.groupId(), equalTo(group));
    assertThat(all.cursor(), equalTo(Optional.empty()));
    assertThat(all.versions().size(), equalTo(4));
    assertThat(
        pages(cursor -> Page.of(owner.groupListVersions(groupPage(group, 3, cursor)))),
        equalTo(List.of(List.of(4L, 3L, 2L), List.of(1L))));
    assertThat(
        pages(cursor -> Page.of(member.groupListVersions(groupPage(group, 2, cursor)))),
        equalTo(List.of(List.of(4L, 3L), List.of(2L, 1L))));

    // A valid cursor opens nothing: the outsider is refused as without one.
    Optional<String> cursor =
        member.groupListVersions(groupPage(group, 1, Optional.empty())).cursor();
    assertError(
        () -> outsider.groupListVersions(groupPage(group, 1, cursor)),
        403,
        "Forbidden",
        "Not a member of this group");
    for (long limit : List.of(0L, -1L, 1001L)) {
      assertError(
          () -> owner.groupListVersions(groupPage(group, limit, Optional.empty())),
          400,
          "Bad Request",
          "limit");
      assertError(
          () -> owner.keypairListVersions(keypairPage(limit, Optional.empty())),
          400,
          "Bad Request",
          "limit");
    }
    // A limit that is not an integer cannot be typed.
    String groupNsid = dev.atpkeyserver.lexicon.alpha.group.ListVersions.NSID;
    assertError(
        server.get(
            "/xrpc/" + groupNsid + "?group_id=" + encode(group) + "&limit=x",
            "Authorization",
            "Bearer " + ownerUser.token(server.serviceDid(), groupNsid)),
        400,
        "Bad Request",
        "limit");
    assertError(
        server.get(
            "/xrpc/" + ListVersions.NSID + "?limit=x",
            "Authorization",
            "Bearer " + ownerUser.token(server.serviceDid(), ListVersions.NSID)),
        400,
        "Bad Request",
        "limit");
  }

  @EachDatabase
  void invalidCursorsAreABadRequestThatChangesNothing(TestDatabase db) {
    TestServer server = keyserver.on(db);
    TestUser ownerUser = keyserver.newUser();
    KeyserverClient user = server.as(ownerUser);
    String group = ownerUser.did() + "#cursors";
    user.groupGetKey(groupKey(group));
    user.groupRotateKey(groupRotation(group));
    user.keypairRotate(rotation());
    storeLog(server, ownerUser.did(), 3, times(3));

    String logsCursor = user.accessLogsGetLogs(logs(1, Optional.empty())).cursor().orElseThrow();
    String keypairCursor =
        user.keypairListVersions(keypairPage(1, Optional.empty())).cursor().orElseThrow();
    String groupCursor =
        user.groupListVersions(groupPage(group, 1, Optional.empty())).cursor().orElseThrow();
    String tampered =
        logsCursor.substring(0, 10)
            + (logsCursor.charAt(10) == 'A' ? 'B' : 'A')
            + logsCursor.substring(11);
    List<String> garbage =
        List.of("", "garbage", "-1", "-9223372036854775808", "%%%", "AAAAAAAAAAAAAA");

    for (String bad : concat(garbage, List.of(keypairCursor, groupCursor, tampered))) {
      assertError(
          () -> user.accessLogsGetLogs(logs(50, Optional.of(bad))),
          400,
          "Bad Request",
          "Invalid cursor");
    }
    for (String bad : concat(garbage, List.of(logsCursor, groupCursor))) {
      assertError(
          () -> user.keypairListVersions(keypairPage(1, Optional.of(bad))),
          400,
          "Bad Request",
          "Invalid cursor");
    }
    for (String bad : concat(garbage, List.of(logsCursor, keypairCursor))) {
      assertError(
          () ->
              user.groupListVersions(
                  new dev.atpkeyserver.lexicon.alpha.group.ListVersions.Params(
                      group, Optional.empty(), Optional.of(bad))),
          400,
          "Bad Request",
          "Invalid cursor");
    }
    assertError(
        () -> user.accessLogsGetLogs(logs(50, Optional.of("A".repeat(129)))),
        400,
        "Bad Request",
        "cursor");
    // Nothing was read, so nothing new was logged (3 stored entries and the group key read), and
    // the good cursors still work.
    assertThat(user.accessLogsGetLogs(logs(1000, Optional.empty())).logs().size(), equalTo(4));
    assertThat(
        user.keypairListVersions(
                new ListVersions.Params(Optional.empty(), Optional.of(keypairCursor)))
            .versions()
            .size(),
        equalTo(1));
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
