package dev.atpkeyserver.server.ratelimit;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.helidon.http.Method;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which requests {@link RateLimitPolicy} charges to a caller's DID instead of the address. */
class RateLimitPolicyTest {

  private static final String GET_KEYPAIR = "dev.atpkeyserver.alpha.keypair.getKeypair";

  @ParameterizedTest
  @ValueSource(strings = {"/xrpc/", "/xrpc//", "/xrpc", "/xrpc/.", "/xrpc/x/", "/", ""})
  void aPathWithoutAnAuthenticatedNsidIsPublic(String path) {
    assertThat(
        path, RateLimitPolicy.authenticatedNsid(Method.GET, path), equalTo(Optional.empty()));
  }

  @Test
  void anAuthenticatedMethodWithItsHttpMethodIsChargedToTheCaller() {
    assertThat(
        RateLimitPolicy.authenticatedNsid(Method.GET, "/xrpc/" + GET_KEYPAIR),
        equalTo(Optional.of(GET_KEYPAIR)));
    assertThat(
        RateLimitPolicy.authenticatedNsid(Method.GET, "/xrpc/" + GET_KEYPAIR + "/"),
        equalTo(Optional.of(GET_KEYPAIR)));
    assertThat(
        RateLimitPolicy.authenticatedNsid(Method.POST, "/xrpc/" + GET_KEYPAIR),
        equalTo(Optional.empty()));
  }
}
