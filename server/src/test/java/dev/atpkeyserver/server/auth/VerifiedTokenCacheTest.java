package dev.atpkeyserver.server.auth;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.atpkeyserver.did.Did;
import dev.atpkeyserver.did.DidDocument;
import dev.atpkeyserver.did.DidResolver;
import dev.atpkeyserver.server.testing.DidDirectory;
import dev.atpkeyserver.server.testing.TestUser;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A verified token is remembered until it expires, for its own method only. */
class VerifiedTokenCacheTest {

  private static final String AUD = "did:web:keyserver.test";
  private static final String NSID = "dev.atpkeyserver.alpha.keypair.getKeypair";

  private final TestUser alice = TestUser.plc();
  private final AtomicInteger resolutions = new AtomicInteger();
  private final AtomicLong nowMillis = new AtomicLong(System.currentTimeMillis());
  private final Clock clock =
      new Clock() {
        @Override
        public ZoneId getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
          return this;
        }

        @Override
        public Instant instant() {
          return Instant.ofEpochMilli(nowMillis.get());
        }
      };

  private final DidResolver countingResolver =
      (Did did, boolean forceRefresh) -> {
        resolutions.incrementAndGet();
        return DidDocument.parse(
            did, DidDirectory.documentFor(alice).getBytes(StandardCharsets.UTF_8));
      };

  @Test
  void aReusedTokenIsVerifiedOnce() throws Exception {
    ServiceAuthVerifier verifier = new ServiceAuthVerifier(countingResolver, AUD, clock);
    String token = alice.token(AUD, NSID);

    for (int i = 0; i < 5; i++) {
      assertThat(verifier.verify(token, NSID).toString(), equalTo(alice.did()));
    }
    assertThat(resolutions.get(), equalTo(1));
  }

  @Test
  void aRememberedTokenStillExpires() throws Exception {
    ServiceAuthVerifier verifier = new ServiceAuthVerifier(countingResolver, AUD, clock);
    String token = alice.token(AUD, NSID);
    verifier.verify(token, NSID);

    nowMillis.addAndGet(61_000);

    AuthenticationException e =
        assertThrows(AuthenticationException.class, () -> verifier.verify(token, NSID));
    assertThat(e.reason(), equalTo(AuthenticationException.Reason.EXPIRED));
  }

  @Test
  void aRememberedTokenIsNotGoodForAnotherMethod() throws Exception {
    ServiceAuthVerifier verifier = new ServiceAuthVerifier(countingResolver, AUD, clock);
    String token = alice.token(AUD, NSID);
    verifier.verify(token, NSID);

    AuthenticationException e =
        assertThrows(
            AuthenticationException.class,
            () -> verifier.verify(token, "dev.atpkeyserver.alpha.account.delete"));
    assertThat(e.reason(), equalTo(AuthenticationException.Reason.WRONG_METHOD));
  }

  @Test
  void theCacheStaysWithinItsBoundAndKeepsTheNewestToken() {
    VerifiedTokenCache cache = new VerifiedTokenCache(clock, 3);
    Did did = new Did("plc", "abc");
    double exp = nowMillis.get() / 1000.0 + 60;
    for (int i = 0; i < 10; i++) {
      cache.remember("token-" + i, NSID, did, exp);
      assertThat(cache.size(), lessThanOrEqualTo(3));
    }
    // The newest token is the one its client is about to reuse.
    assertThat(cache.lookup("token-9", NSID).isPresent(), equalTo(true));
  }

  @Test
  void aFullCacheDropsItsExpiredTokensFirst() {
    VerifiedTokenCache cache = new VerifiedTokenCache(clock, 4);
    Did did = new Did("plc", "abc");
    double soon = nowMillis.get() / 1000.0 + 1;
    double later = nowMillis.get() / 1000.0 + 600;
    cache.remember("short-1", NSID, did, soon);
    cache.remember("short-2", NSID, did, soon);
    cache.remember("long-1", NSID, did, later);
    cache.remember("long-2", NSID, did, later);
    nowMillis.addAndGet(5_000);

    cache.remember("new", NSID, did, later);

    assertThat(cache.size(), equalTo(3));
    assertThat(cache.lookup("long-1", NSID).isPresent(), equalTo(true));
    assertThat(cache.lookup("long-2", NSID).isPresent(), equalTo(true));
    assertThat(cache.lookup("new", NSID).isPresent(), equalTo(true));
  }
}
