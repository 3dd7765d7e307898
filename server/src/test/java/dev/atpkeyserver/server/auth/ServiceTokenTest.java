package dev.atpkeyserver.server.auth;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.atpkeyserver.server.auth.AuthenticationException.Reason;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The token's header and payload are parsed strictly, as a JSON parser in strict mode would: one
 * JSON object per part and nothing else, no duplicate member names, no byte-order mark, a finite
 * {@code exp}, and no {@code crit} extensions (we understand none, so RFC 7515 says refuse).
 */
class ServiceTokenTest {

  private static final String HEADER = "{\"typ\":\"JWT\",\"alg\":\"ES256K\"}";
  private static final String PAYLOAD =
      "{\"iss\":\"did:plc:abc\",\"aud\":\"did:web:k.test\",\"exp\":1700000060,\"lxm\":\"a.b.c\"}";
  private static final String SIGNATURE = b64("not checked here");

  @Test
  void parsesAWellFormedToken() throws AuthenticationException {
    ServiceToken token = ServiceToken.parse(b64(HEADER) + "." + b64(PAYLOAD) + "." + SIGNATURE);

    assertThat(token.iss(), equalTo("did:plc:abc"));
    assertThat(token.exp(), equalTo(1700000060.0));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"typ\":\"JWT\",\"alg\":\"ES256K\"}garbage",
        "{\"typ\":\"JWT\",\"alg\":\"ES256K\"} {}",
        "{\"typ\":\"JWT\",\"alg\":\"ES256K\",\"alg\":\"ES256\"}",
        "\uFEFF{\"typ\":\"JWT\",\"alg\":\"ES256K\"}",
        "{\"typ\":\"JWT\",\"alg\":\"ES256K\",\"crit\":[\"exp\"]}",
        "{\"typ\":\"JWT\",\"alg\":\"ES256K\",\"crit\":[]}",
      })
  void refusesABadHeader(String header) {
    assertRefused(b64(header) + "." + b64(PAYLOAD) + "." + SIGNATURE);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"iss\":\"did:plc:abc\",\"aud\":\"did:web:k.test\",\"exp\":1e999,\"lxm\":\"a.b.c\"}",
        "{\"iss\":\"did:plc:abc\",\"aud\":\"did:web:k.test\",\"exp\":-1e999,\"lxm\":\"a.b.c\"}",
        "{\"iss\":\"did:plc:abc\",\"aud\":\"did:web:k.test\",\"exp\":1700000060,\"lxm\":\"a.b.c\"}]",
        "{\"iss\":\"did:plc:abc\",\"aud\":\"did:web:k.test\",\"exp\":1700000060,\"iss\":\"did:plc:x\"}",
        "\uFEFF{\"iss\":\"did:plc:abc\",\"aud\":\"did:web:k.test\",\"exp\":1700000060}",
      })
  void refusesABadPayload(String payload) {
    assertRefused(b64(HEADER) + "." + b64(payload) + "." + SIGNATURE);
  }

  @Test
  void refusesInvalidUtf8() {
    byte[] header = HEADER.getBytes(StandardCharsets.UTF_8);
    byte[] bad = new byte[header.length + 2];
    System.arraycopy(header, 0, bad, 0, header.length - 1);
    bad[header.length - 1] = (byte) 0xC3; // a lone lead byte inside the object
    bad[header.length] = (byte) 0x28;
    bad[header.length + 1] = '}';
    String encoded = Base64.getUrlEncoder().withoutPadding().encodeToString(bad);
    assertRefused(encoded + "." + b64(PAYLOAD) + "." + SIGNATURE);
  }

  @Test
  void refusesPaddedBase64() {
    String padded =
        Base64.getUrlEncoder()
            .encodeToString("{\"alg\":\"ES256K\"}".getBytes(StandardCharsets.UTF_8));
    assertThat(padded.endsWith("="), equalTo(true));
    assertRefused(padded + "." + b64(PAYLOAD) + "." + SIGNATURE);
  }

  private static void assertRefused(String token) {
    AuthenticationException refused =
        assertThrows(AuthenticationException.class, () -> ServiceToken.parse(token));
    assertThat(refused.reason(), equalTo(Reason.BAD_TOKEN));
  }

  private static String b64(String text) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }
}
