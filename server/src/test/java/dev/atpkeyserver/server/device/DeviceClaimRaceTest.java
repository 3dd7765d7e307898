package dev.atpkeyserver.server.device;

import static dev.atpkeyserver.server.testing.Inputs.logs;
import static dev.atpkeyserver.server.testing.Responses.inParallel;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.isIn;

import dev.atpkeyserver.lexicon.alpha.Defs.AccessLog;
import dev.atpkeyserver.lexicon.alpha.device.ClaimBundles;
import dev.atpkeyserver.lexicon.alpha.device.Defs.Bundle;
import dev.atpkeyserver.lexicon.alpha.device.Defs.OneTimePreKey;
import dev.atpkeyserver.lexicon.alpha.device.Defs.SignedPreKey;
import dev.atpkeyserver.lexicon.client.KeyserverClient;
import dev.atpkeyserver.server.testing.DeviceKeys;
import dev.atpkeyserver.server.testing.EachDatabase;
import dev.atpkeyserver.server.testing.KeyserverExtension;
import dev.atpkeyserver.server.testing.TestDatabase;
import dev.atpkeyserver.server.testing.TestServer;
import dev.atpkeyserver.server.testing.TestUser;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * No one-time prekey is ever handed out twice: 200 claims at once against a device holding 50, on
 * PostgreSQL split across two keyserver instances on the one database (on H2, which one process
 * owns, all on one instance).
 */
class DeviceClaimRaceTest {

  private static final int CLAIMS = 200;
  private static final int ONE_TIME_PRE_KEYS = 50;

  // 200 requests queue for 8 connections per instance on a shared, loaded machine: this test is
  // about who gets which key, not about how long a request waits for a connection.
  @RegisterExtension
  static final KeyserverExtension keyserver =
      new KeyserverExtension(Map.of("keyserver.db.connection-timeout", "PT60S"));

  @EachDatabase
  void twoHundredParallelClaimsHandOutFiftyPreKeysOnceEach(TestDatabase db) throws Exception {
    TestServer first = keyserver.on(db);
    TestServer second = db == TestDatabase.POSTGRES ? keyserver.another(db) : first;
    TestUser owner = keyserver.newUser();
    DeviceKeys keys = DeviceKeys.generate();
    List<OneTimePreKey> oneTime = DeviceKeys.oneTimeKeys("otk-", ONE_TIME_PRE_KEYS);
    SignedPreKey lastResort = keys.signedKey("last-resort");
    first
        .as(owner)
        .deviceRegister(
            keys.registration("phone", keys.signedKey("signed"), oneTime, Optional.of(lastResort)));
    List<KeyserverClient> claimers =
        IntStream.range(0, 8)
            .mapToObj(i -> (i % 2 == 0 ? first : second).as(keyserver.newUser()))
            .toList();
    AtomicInteger next = new AtomicInteger();

    List<Bundle> bundles =
        inParallel(
            CLAIMS,
            () -> {
              KeyserverClient claimer = claimers.get(next.getAndIncrement() % claimers.size());
              List<Bundle> claimed =
                  claimer
                      .deviceClaimBundles(new ClaimBundles.Input(owner.did(), Optional.empty()))
                      .bundles();
              assertThat(claimed, hasSize(1));
              return claimed.get(0);
            });

    List<OneTimePreKey> handedOut = new ArrayList<>();
    int lastResorts = 0;
    for (Bundle bundle : bundles) {
      if (bundle.oneTimePreKey().isPresent()) {
        assertThat(bundle.lastResortKey(), equalTo(Optional.empty()));
        handedOut.add(bundle.oneTimePreKey().get());
      } else {
        assertThat(bundle.lastResortKey(), equalTo(Optional.of(lastResort)));
        lastResorts++;
      }
    }
    assertThat(handedOut, hasSize(ONE_TIME_PRE_KEYS));
    assertThat(new HashSet<>(handedOut), hasSize(ONE_TIME_PRE_KEYS));
    assertThat(handedOut, everyItem(isIn(oneTime)));
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
    // Every bundle handed out, by either instance, is in the owner's access log.
    first.awaitAccessLogWrites();
    second.awaitAccessLogWrites();
    List<AccessLog> logs = first.as(owner).accessLogsGetLogs(logs(1000)).logs();
    assertThat(logs, hasSize(CLAIMS));
    assertThat(
        logs.stream().allMatch(l -> l.keyType().equals(Optional.of("device"))), equalTo(true));
  }
}
