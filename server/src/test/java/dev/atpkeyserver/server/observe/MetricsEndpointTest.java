package dev.atpkeyserver.server.observe;

import static dev.atpkeyserver.server.testing.Inputs.activeKeypair;
import static dev.atpkeyserver.server.testing.Responses.statusOf;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.not;

import dev.atpkeyserver.lexicon.alpha.keypair.GetKeypair;
import dev.atpkeyserver.lexicon.client.KeyserverClient;
import dev.atpkeyserver.server.testing.EachDatabase;
import dev.atpkeyserver.server.testing.KeyserverExtension;
import dev.atpkeyserver.server.testing.TestDatabase;
import dev.atpkeyserver.server.testing.TestServer;
import dev.atpkeyserver.server.testing.TestUser;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code /observe/metrics} counts requests, refusals, DID cache use and pool connections. */
class MetricsEndpointTest {

  private static final String GET_KEYPAIR = GetKeypair.NSID;

  @RegisterExtension static final KeyserverExtension keyserver = new KeyserverExtension();

  @EachDatabase
  void countsRequestsByRouteAndStatusAndTimesThem(TestDatabase db) {
    TestServer server = keyserver.on(db);
    TestUser user = keyserver.newUser();
    KeyserverClient client = server.as(user);
    double before = Samples.of(metrics(server)).value("keyserver_requests_total", route(), ok());

    assertThat(statusOf(() -> client.keypairGetKeypair(activeKeypair())), equalTo(200));
    assertThat(statusOf(() -> client.keypairGetKeypair(activeKeypair())), equalTo(200));
    assertThat(statusOf(() -> server.anonymous().keypairGetKeypair(activeKeypair())), equalTo(401));
    assertThat(server.get("/no/such/" + user.did()).statusCode(), equalTo(404));

    String text = metrics(server);
    Samples samples = Samples.of(text);
    assertThat(samples.value("keyserver_requests_total", route(), ok()), equalTo(before + 2));
    assertThat(
        samples.value("keyserver_requests_total", route(), "status=\"401\""),
        greaterThanOrEqualTo(1.0));
    assertThat(
        samples.value("keyserver_requests_total", "route=\"other\"", "status=\"404\""),
        greaterThanOrEqualTo(1.0));
    assertThat(
        samples.value("keyserver_request_duration_seconds_count", route()),
        greaterThanOrEqualTo(before + 3));
    assertThat(
        samples.value("keyserver_request_duration_seconds_bucket", route(), "le=\"10.0\""),
        greaterThanOrEqualTo(before + 3));
    // Bounded labels only: the DID in the path is nowhere.
    assertThat(text, not(containsString(user.did())));
    assertThat(text, not(containsString("/no/such")));
  }

  @EachDatabase
  void countsAuthFailuresByReason(TestDatabase db) {
    TestServer server = keyserver.on(db);
    double before =
        Samples.of(metrics(server))
            .value("keyserver_auth_failures_total", "reason=\"missing_token\"");

    server.get("/xrpc/" + GET_KEYPAIR);
    server.get("/xrpc/" + GET_KEYPAIR, "Authorization", "Bearer not-a-jwt");

    Samples samples = Samples.of(metrics(server));
    assertThat(
        samples.value("keyserver_auth_failures_total", "reason=\"missing_token\""),
        equalTo(before + 1));
    assertThat(
        samples.value("keyserver_auth_failures_total", "reason=\"bad_token\""),
        greaterThanOrEqualTo(1.0));
    assertThat(
        samples.value("keyserver_auth_failures_total", "reason=\"bad_signature\""),
        greaterThanOrEqualTo(0.0));
  }

  @EachDatabase
  void countsDidCacheMissesAndHits(TestDatabase db) {
    TestServer server = keyserver.on(db);
    Samples before = Samples.of(metrics(server));
    KeyserverClient client = server.as(keyserver.newUser());

    client.keypairGetKeypair(activeKeypair());
    client.keypairGetKeypair(activeKeypair());

    Samples after = Samples.of(metrics(server));
    assertThat(
        after.value("keyserver_did_cache_misses_total"),
        equalTo(before.value("keyserver_did_cache_misses_total") + 1));
    assertThat(
        after.value("keyserver_did_cache_hits_total"),
        equalTo(before.value("keyserver_did_cache_hits_total") + 1));
    assertThat(after.value("keyserver_did_cache_stale_hits_total"), equalTo(0.0));
    assertThat(after.value("keyserver_did_cache_size"), greaterThanOrEqualTo(1.0));
  }

  @EachDatabase
  void publishesPoolUsage(TestDatabase db) {
    TestServer server = keyserver.on(db);
    server.as(keyserver.newUser()).keypairGetKeypair(activeKeypair());

    // The gauges are read one by one when scraped, while the access-log and audit writers borrow
    // and return connections in the background: a single scrape can catch one in between. The
    // numbers must add up in a quiet scrape; a few scrapes are allowed to find one.
    Samples samples = Samples.of(metrics(server));
    for (int scrape = 1; scrape < 20 && !consistent(samples); scrape++) {
      sleepBriefly();
      samples = Samples.of(metrics(server));
    }
    // The default pool of 16, on each test server still open.
    assertThat(samples.value("keyserver_db_pool_max"), greaterThanOrEqualTo(16.0));
    double total = samples.value("keyserver_db_pool_connections", "state=\"total\"");
    assertThat(total, greaterThanOrEqualTo(1.0));
    assertThat(
        samples.value("keyserver_db_pool_connections", "state=\"active\"")
            + samples.value("keyserver_db_pool_connections", "state=\"idle\""),
        equalTo(total));
    assertThat(samples.value("keyserver_db_pool_connections", "state=\"pending\""), equalTo(0.0));
  }

  private static boolean consistent(Samples samples) {
    return samples.value("keyserver_db_pool_connections", "state=\"active\"")
                + samples.value("keyserver_db_pool_connections", "state=\"idle\"")
            == samples.value("keyserver_db_pool_connections", "state=\"total\"")
        && samples.value("keyserver_db_pool_connections", "state=\"pending\"") == 0.0;
  }

  private static void sleepBriefly() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static String metrics(TestServer server) {
    HttpResponse<String> response = server.get("/observe/metrics", "Accept", "text/plain");
    assertThat(response.statusCode(), equalTo(200));
    return response.body();
  }

  private static String route() {
    return "route=\"" + GET_KEYPAIR + "\"";
  }

  private static String ok() {
    return "status=\"200\"";
  }
}
