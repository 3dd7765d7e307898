package dev.atpkeyserver.server.device;

import static dev.atpkeyserver.server.testing.Responses.inParallel;
import static dev.atpkeyserver.server.testing.Responses.ok;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import dev.atpkeyserver.server.testing.ApiClient;
import dev.atpkeyserver.server.testing.DeviceKeys;
import dev.atpkeyserver.server.testing.DeviceKeys.OneTimeKey;
import dev.atpkeyserver.server.testing.DeviceKeys.SignedKey;
import dev.atpkeyserver.server.testing.DidDirectory;
import dev.atpkeyserver.server.testing.KeyserverExtension;
import dev.atpkeyserver.server.testing.TestDatabase;
import dev.atpkeyserver.server.testing.TestServer;
import dev.atpkeyserver.server.testing.TestUser;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * No one-time prekey is ever handed out twice: 200 claims at once against a device holding 50, on
 * PostgreSQL split across two keyserver instances on the one database (on H2, which one process
 * owns, all on one instance).
 */
class DeviceClaimRaceTest {

  private static final int CLAIMS = 200;
  private static final int ONE_TIME_PRE_KEYS = 50;

  private static final DidDirectory directory = new DidDirectory();

  @RegisterExtension
  static final KeyserverExtension servers =
      new KeyserverExtension(
          Map.of(
              "keyserver.plc-url",
              directory.url(),
              "keyserver.service-did",
              ApiClient.SERVICE_DID,
              // 200 requests queue for 8 connections per instance on a shared, loaded machine:
              // this test is about who gets which key, not about connection waits.
              "keyserver.db.connection-timeout",
              "PT60S"),
          directory);

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void twoHundredParallelClaimsHandOutFiftyPreKeysOnceEach(TestDatabase db) throws Exception {
    TestServer first = servers.on(db);
    TestServer second = db == TestDatabase.POSTGRES ? servers.another(db) : first;
    TestUser owner = directory.publish(TestUser.plc());
    DeviceKeys keys = DeviceKeys.generate();
    List<OneTimeKey> oneTime = DeviceKeys.oneTimeKeys("otk-", ONE_TIME_PRE_KEYS);
    SignedKey lastResort = keys.signedKey("last-resort");
    ok(
        new ApiClient(first, owner)
            .procedure(
                "device.register",
                keys.registration(
                        "phone",
                        Optional.empty(),
                        keys.signedKey("signed"),
                        oneTime,
                        Optional.of(lastResort))
                    .toString()));
    List<TestUser> claimers =
        IntStream.range(0, 8).mapToObj(i -> directory.publish(TestUser.plc())).toList();
    AtomicInteger next = new AtomicInteger();

    List<HttpResponse<String>> responses =
        inParallel(
            CLAIMS,
            () -> {
              int i = next.getAndIncrement();
              ApiClient claimer =
                  new ApiClient(i % 2 == 0 ? first : second, claimers.get(i % claimers.size()));
              return claimer.procedure("device.claimBundles", "{\"did\":\"" + owner.did() + "\"}");
            });

    List<String> handedOut = new ArrayList<>();
    int lastResorts = 0;
    for (HttpResponse<String> response : responses) {
      List<JsonObject> bundles = ok(response).getJsonArray("bundles").getValuesAs(JsonObject.class);
      assertThat(bundles, hasSize(1));
      JsonObject bundle = bundles.get(0);
      if (bundle.isNull("oneTimePreKey")) {
        assertThat(bundle.getJsonObject("lastResortKey"), equalTo(lastResort.json()));
        lastResorts++;
      } else {
        assertThat(bundle.isNull("lastResortKey"), equalTo(true));
        JsonObject key = bundle.getJsonObject("oneTimePreKey");
        assertThat(
            oneTime.contains(new OneTimeKey(key.getString("keyId"), key.getString("publicKey"))),
            equalTo(true));
        handedOut.add(key.getString("keyId"));
      }
    }
    Set<String> distinct = new HashSet<>(handedOut);
    assertThat(handedOut, hasSize(ONE_TIME_PRE_KEYS));
    assertThat(distinct, hasSize(ONE_TIME_PRE_KEYS));
    assertThat(lastResorts, equalTo(CLAIMS - ONE_TIME_PRE_KEYS));
    // Stored: every one-time prekey claimed once and erased.
    assertThat(
        first
            .database()
            .execute()
            .get(
                "SELECT COUNT(*) AS n FROM device_one_time_prekeys"
                    + " WHERE claimed_at IS NOT NULL AND public_key IS NULL")
            .orElseThrow()
            .column("n")
            .getLong(),
        equalTo((long) ONE_TIME_PRE_KEYS));
    // Every bundle handed out, on either instance, is in the owner's access log.
    first.awaitAccessLogWrites();
    second.awaitAccessLogWrites();
    List<JsonObject> logs =
        ok(new ApiClient(first, owner).query("accessLogs.getLogs", "limit=1000"))
            .getJsonArray("logs")
            .getValuesAs(JsonObject.class);
    assertThat(logs, hasSize(CLAIMS));
    assertThat(
        logs.stream().allMatch(l -> l.getString("key_type").equals("device")), equalTo(true));
  }
}
