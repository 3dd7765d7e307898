package dev.atpkeyserver.server.crypto;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import com.google.crypto.tink.subtle.Ed25519Sign;
import com.google.crypto.tink.subtle.Ed25519Verify;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Generated keys are what their users expect: RFC 8032 keypairs, fresh random group keys. */
class KeyGeneratorsTest {

  private static final HexFormat HEX = HexFormat.of();

  @Test
  void ed25519PublicKeyOfTheRfc8032Vectors() {
    // RFC 8032, section 7.1, TEST 1 and TEST 3.
    assertThat(
        HEX.formatHex(
            KeyGenerators.ed25519(
                    HEX.parseHex(
                        "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"))
                .publicKey()),
        equalTo("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"));
    assertThat(
        HEX.formatHex(
            KeyGenerators.ed25519(
                    HEX.parseHex(
                        "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7"))
                .publicKey()),
        equalTo("fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025"));
  }

  @Test
  void ed25519KeypairsSignAndVerifyWithTink() throws Exception {
    byte[] message = "every generated keypair signs".getBytes(StandardCharsets.UTF_8);
    Set<String> publicKeys = new HashSet<>();
    for (int i = 0; i < 50; i++) {
      KeyGenerators.Ed25519Keypair keypair = KeyGenerators.ed25519();
      // An independent implementation: Tink derives its own key from the seed and signs.
      Ed25519Sign.KeyPair tink =
          Ed25519Sign.KeyPair.newKeyPairFromSeed(keypair.privateSeed().bytes());
      assertThat(HEX.formatHex(tink.getPublicKey()), equalTo(HEX.formatHex(keypair.publicKey())));
      byte[] signature = new Ed25519Sign(keypair.privateSeed().bytes()).sign(message);
      new Ed25519Verify(keypair.publicKey()).verify(signature, message);
      publicKeys.add(HEX.formatHex(keypair.publicKey()));
    }
    assertThat(publicKeys.size(), equalTo(50));
  }

  @Test
  void groupKeysAreFreshRandom32Bytes() {
    KeyMaterial first = KeyGenerators.xchacha20Poly1305();
    KeyMaterial second = KeyGenerators.xchacha20Poly1305();
    assertThat(first.length(), equalTo(32));
    assertThat(second.length(), equalTo(32));
    assertThat(first, not(equalTo(second)));
  }
}
