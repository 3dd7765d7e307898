package dev.atpkeyserver.server.bench;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.util.Base64URL;
import dev.atpkeyserver.did.AtprotoSigningKey;
import dev.atpkeyserver.did.Did;
import dev.atpkeyserver.did.DidDocument;
import dev.atpkeyserver.did.KeyCurve;
import dev.atpkeyserver.server.auth.ServiceAuthVerifier;
import dev.atpkeyserver.server.testing.DidDirectory;
import dev.atpkeyserver.server.testing.TestUser;
import java.nio.charset.StandardCharsets;
import java.security.Provider;
import java.time.Clock;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * How many service auth tokens one core verifies per second: the CPU cost every authenticated
 * request pays, since the server caches DID documents but not verified tokens. Single-threaded, so
 * the numbers are per core.
 *
 * <ul>
 *   <li>{@code es256k_raw}: nimbus {@link ECDSAVerifier} with BouncyCastle, the verifier reused:
 *       the signature check alone.
 *   <li>{@code es256k_new_verifier}: the same, but decoding the compressed key and building the
 *       verifier for every token, as {@link ServiceAuthVerifier} does.
 *   <li>{@code es256k_server}: {@link ServiceAuthVerifier#verify} with the DID document already at
 *       hand (an in-memory resolver): parsing, claim checks, key decoding and the signature check,
 *       as a request with a cached DID costs.
 *   <li>{@code es256_server}: the same for a P-256 key, for comparison.
 * </ul>
 *
 * <p>Usage: {@code VerifyThroughput [iterations, default 20000]}; prints {@code name=per second}
 * lines the script reads.
 */
public final class VerifyThroughput {

  private static final String SERVICE_DID = "did:web:bench.keyserver.test";
  private static final String NSID = "dev.atpkeyserver.alpha.group.getKey";
  private static final Provider BOUNCY_CASTLE = new BouncyCastleProvider();

  private VerifyThroughput() {}

  /** One verification; returns whether it succeeded so the JIT cannot drop the work. */
  @FunctionalInterface
  interface Verification {
    boolean run() throws Exception;
  }

  public static void main(String[] args) throws Exception {
    int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;

    TestUser k256 = TestUser.plc(KeyCurve.SECP256K1);
    String token = k256.token(SERVICE_DID, NSID);
    int lastDot = token.lastIndexOf('.');
    byte[] signingInput = token.substring(0, lastDot).getBytes(StandardCharsets.US_ASCII);
    Base64URL signature = new Base64URL(token.substring(lastDot + 1));
    AtprotoSigningKey key = k256.signingKey();
    ECDSAVerifier raw = new ECDSAVerifier(key.toEcPublicKey());
    raw.getJCAContext().setProvider(BOUNCY_CASTLE);
    JWSHeader header = new JWSHeader(JWSAlgorithm.ES256K);
    report("es256k_raw", iterations, () -> raw.verify(header, signingInput, signature));
    report(
        "es256k_new_verifier",
        iterations,
        () -> {
          ECDSAVerifier verifier = new ECDSAVerifier(key.toEcPublicKey());
          verifier.getJCAContext().setProvider(BOUNCY_CASTLE);
          return verifier.verify(header, signingInput, signature);
        });

    report("es256k_server", iterations, serverPath(k256));
    report("es256_server", iterations, serverPath(TestUser.plc(KeyCurve.P256)));
  }

  /** The server's verifier over a resolver that always has the user's document. */
  private static Verification serverPath(TestUser user) throws Exception {
    DidDocument document =
        DidDocument.parse(
            Did.parse(user.did()), DidDirectory.documentFor(user).getBytes(StandardCharsets.UTF_8));
    ServiceAuthVerifier verifier =
        new ServiceAuthVerifier((did, forceRefresh) -> document, SERVICE_DID, Clock.systemUTC());
    // Long enough for the whole measurement.
    String token =
        user.tokenBuilder(SERVICE_DID, NSID)
            .claim("exp", Clock.systemUTC().instant().getEpochSecond() + 3600)
            .build();
    return () -> verifier.verify(token, NSID).toString().equals(user.did());
  }

  /** Warms up with a quarter of the iterations, then times {@code iterations} in a row. */
  private static void report(String name, int iterations, Verification verification)
      throws Exception {
    run(verification, Math.max(1, iterations / 4));
    long started = System.nanoTime();
    run(verification, iterations);
    double seconds = (System.nanoTime() - started) / 1e9;
    System.out.printf("%s=%.0f%n", name, iterations / seconds);
  }

  private static void run(Verification verification, int times) throws Exception {
    for (int i = 0; i < times; i++) {
      if (!verification.run()) {
        throw new IllegalStateException("verification failed");
      }
    }
  }
}
