package dev.atpkeyserver.server.observe;

import dev.atpkeyserver.server.auth.signature.SignatureBackends;
import io.helidon.health.HealthCheck;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;

/**
 * Which backend verifies each token algorithm, in {@code /observe/health} (and {@code
 * /observe/health/started}). Always up: a BouncyCastle fallback is slower, never wrong, so it must
 * not take the server out of rotation; the detail {@code native-unavailable} says why it happened.
 * A start-up check, so readiness and liveness stay what they were.
 */
final class SignatureBackendsCheck implements HealthCheck {

  private final HealthCheckResponse response;

  SignatureBackendsCheck(SignatureBackends backends) {
    HealthCheckResponse.Builder builder = HealthCheckResponse.builder().status(true);
    backends.namesByAlgorithm().forEach(builder::detail);
    backends.nativeUnavailable().ifPresent(reason -> builder.detail("native-unavailable", reason));
    this.response = builder.build();
  }

  @Override
  public HealthCheckType type() {
    return HealthCheckType.STARTUP;
  }

  @Override
  public String name() {
    return "signatures";
  }

  @Override
  public HealthCheckResponse call() {
    return response;
  }
}
