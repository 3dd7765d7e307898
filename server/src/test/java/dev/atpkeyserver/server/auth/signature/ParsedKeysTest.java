package dev.atpkeyserver.server.auth.signature;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.sameInstance;

import dev.atpkeyserver.did.AtprotoSigningKey;
import dev.atpkeyserver.did.KeyCurve;
import dev.atpkeyserver.server.testing.TestUser;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ParsedKeysTest {

  @Test
  void parsesEachKeyOnceAndStaysWithinItsBound() {
    AtomicInteger parses = new AtomicInteger();
    ParsedKeys<Object> keys =
        new ParsedKeys<>(
            key -> {
              parses.incrementAndGet();
              return new Object();
            },
            3);
    AtprotoSigningKey first = TestUser.plc(KeyCurve.SECP256K1).signingKey();

    Object parsed = keys.get(first);
    assertThat(keys.get(first), sameInstance(parsed));
    assertThat(parses.get(), equalTo(1));

    for (int i = 0; i < 10; i++) {
      keys.get(TestUser.plc(KeyCurve.P256).signingKey());
      assertThat("after " + (i + 1) + " more keys", keys.size() <= 3, equalTo(true));
    }
    assertThat(parses.get(), equalTo(11));
  }
}
