package dev.atpkeyserver.server.auth;

import static dev.atpkeyserver.server.testing.Inputs.keypairVersions;
import static dev.atpkeyserver.server.testing.Responses.statusOf;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.atpkeyserver.did.KeyCurve;
import dev.atpkeyserver.lexicon.alpha.keypair.ListVersions;
import dev.atpkeyserver.lexicon.client.KeyserverClient;
import dev.atpkeyserver.server.testing.DidDirectory;
import dev.atpkeyserver.server.testing.KeyserverExtension;
import dev.atpkeyserver.server.testing.TestDatabase;
import dev.atpkeyserver.server.testing.TestServer;
import dev.atpkeyserver.server.testing.TestUser;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A user who rotates their atproto signing key is accepted on the first token signed with the new
 * key, however recently the keyserver fetched their DID document, and the old key is refused at
 * once; while a flood of bad tokens for one DID costs at most the forced-refresh budget in fetches.
 * The refill interval here is a minute, so only the burst can explain a refetch.
 */
class SigningKeyRotationTest {

  private static final String SERVICE_DID = KeyserverExtension.SERVICE_DID;
  private static final String NSID = ListVersions.NSID;
  private static final int BURST = 3;

  @RegisterExtension
  static final KeyserverExtension servers =
      new KeyserverExtension(
          Map.of(
              "keyserver.did-resolver.timeout", "PT2S",
              "keyserver.did-cache.min-refresh-interval", "PT1M"));

  private static final DidDirectory directory = servers.directory();

  @ParameterizedTest
  @EnumSource(value = KeyCurve.class)
  void theFirstTokenFromARotatedKeyIsAcceptedAndTheOldKeyRefusedRightAfter(KeyCurve newCurve)
      throws InterruptedException {
    TestUser before = directory.publish(TestUser.plc(KeyCurve.SECP256K1));
    assertThat(status(before.token(SERVICE_DID, NSID)), equalTo(200));

    Thread.sleep(1_000);
    TestUser after = directory.publish(before.withNewKey(newCurve));

    assertThat(status(after.token(SERVICE_DID, NSID)), equalTo(200));
    assertThat(status(before.token(SERVICE_DID, NSID)), equalTo(401));
    assertThat(status(after.token(SERVICE_DID, NSID)), equalTo(200));
  }

  @ParameterizedTest
  @EnumSource(value = KeyCurve.class)
  void aThousandBadTokensForOneDidFetchItAtMostTheBurst(KeyCurve curve) {
    TestUser victim = directory.publish(TestUser.plc(curve));
    TestUser forger = TestUser.plc(curve);
    assertThat(status(victim.token(SERVICE_DID, NSID)), equalTo(200));
    int fetchesBefore = directory.fetchCount(victim);

    for (int i = 0; i < 1_000; i++) {
      String forged = victim.tokenBuilder(SERVICE_DID, NSID).signedBy(forger).build();
      assertThat(status(forged), equalTo(401));
    }

    assertThat(directory.fetchCount(victim) - fetchesBefore, equalTo(BURST));
    assertThat(status(victim.token(SERVICE_DID, NSID)), equalTo(200));
  }

  /** The status of {@code keypair.listVersions} called with {@code token}, as it is. */
  private static int status(String token) {
    TestServer server = servers.on(TestDatabase.H2);
    KeyserverClient client = new KeyserverClient(server.xrpc().serviceAuth(lxm -> token).build());
    return statusOf(() -> client.keypairListVersions(keypairVersions()));
  }
}
