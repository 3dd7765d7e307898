package dev.atpkeyserver.server.observe;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import dev.atpkeyserver.server.auth.signature.SignatureBackends;
import dev.atpkeyserver.server.testing.KeyserverExtension;
import dev.atpkeyserver.server.testing.TestDatabase;
import dev.atpkeyserver.server.testing.TestServer;
import io.helidon.health.HealthCheckResponse;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code /observe/health} names the signature backend of each algorithm, without gating on it. */
class SignatureBackendsCheckTest {

  @RegisterExtension static final KeyserverExtension servers = new KeyserverExtension();

  @Test
  void healthNamesTheBackendsAndReadinessIsUnchanged() {
    TestServer server = servers.on(TestDatabase.H2);

    HttpResponse<String> all = server.get("/observe/health");
    HttpResponse<String> started = server.get("/observe/health/started");
    HttpResponse<String> ready = server.get("/observe/health/ready");

    assertThat(all.statusCode(), equalTo(200));
    assertThat(all.body(), containsString("{\"name\":\"signatures\",\"status\":\"UP\",\"data\":"));
    assertThat(all.body(), containsString("\"ES256K\":\"libsecp256k1 (native)\""));
    assertThat(all.body(), containsString("\"ES256\":\"BouncyCastle\""));
    assertThat(started.body(), containsString("\"name\":\"signatures\""));
    assertThat(ready.statusCode(), equalTo(200));
    assertThat(ready.body(), not(containsString("signatures")));
  }

  @Test
  void aFallbackIsUpAndSaysWhy() {
    SignatureBackends fallback =
        SignatureBackends.load(
            () -> {
              throw new UnsatisfiedLinkError("no libsecp256k1-jni for this platform");
            });

    HealthCheckResponse response = new SignatureBackendsCheck(fallback).call();

    assertThat(response.status(), equalTo(HealthCheckResponse.Status.UP));
    assertThat(response.details().get("ES256K"), equalTo("BouncyCastle"));
    assertThat(
        String.valueOf(response.details().get("native-unavailable")),
        containsString("UnsatisfiedLinkError: no libsecp256k1-jni for this platform"));
  }
}
