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
import dev.atpkeyserver.server.auth.signature.BouncyCastleVerifier;
import dev.atpkeyserver.server.auth.signature.JdkP256Verifier;
import dev.atpkeyserver.server.auth.signature.NativeSecp256k1Verifier;
import dev.atpkeyserver.server.auth.signature.SignatureBackends;
import dev.atpkeyserver.server.auth.signature.SignatureVerifier;
import dev.atpkeyserver.server.testing.DidDirectory;
import dev.atpkeyserver.server.testing.TestUser;
import fr.acinq.secp256k1.Secp256k1;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.security.Provider;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * How many service auth tokens one core verifies per second, per signature backend: the CPU cost of
 * every request with a token not seen before. Single-threaded and timed by the thread's own CPU
 * time, so the numbers are per core and hold on a machine other work shares (wall-clock time there
 * counts the time the thread waited for a core). All backends are measured in the same run,
 * interleaved round by round.
 *
 * <ul>
 *   <li>{@code <alg>_nimbus_bc}: nimbus {@link ECDSAVerifier} with the BouncyCastle provider, the
 *       verifier reused (the server's verifier before the signature backends).
 *   <li>{@code <alg>_bc}: {@link BouncyCastleVerifier} (BouncyCastle's lightweight ECDSA, key
 *       cached).
 *   <li>{@code es256k_native}: {@link NativeSecp256k1Verifier} (libsecp256k1 through JNI).
 *   <li>{@code es256_sunec}: {@link JdkP256Verifier} (the JDK's SunEC).
 *   <li>{@code <alg>_server}: {@link ServiceAuthVerifier#verify} with the backend {@link
 *       SignatureBackends} chose and the DID document at hand (an in-memory resolver), a distinct
 *       token each time: parsing, claim checks, token-cache bookkeeping and the signature, as a
 *       request with a fresh token and a cached DID costs.
 * </ul>
 *
 * <p>{@code es256k_raw} repeats {@code es256k_nimbus_bc} under the name bench/run.sh has always
 * read. Usage: {@code VerifyThroughput [iterations, default 20000] [rounds, default 3]}; prints
 * {@code name=median per second} lines the script reads, after one {@code # name: round rates}
 * comment line per measurement.
 */
public final class VerifyThroughput {

  private static final String SERVICE_DID = "did:web:bench.keyserver.test";
  private static final String NSID = "dev.atpkeyserver.alpha.group.getKey";
  private static final Provider BOUNCY_CASTLE = new BouncyCastleProvider();
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private VerifyThroughput() {}

  /** One verification; returns whether it succeeded so the JIT cannot drop the work. */
  @FunctionalInterface
  interface Verification {
    boolean run() throws Exception;
  }

  public static void main(String[] args) throws Exception {
    int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;

    Map<String, Verification> measurements = new LinkedHashMap<>();
    BouncyCastleVerifier bouncyCastle = new BouncyCastleVerifier();
    NativeSecp256k1Verifier secp256k1 = new NativeSecp256k1Verifier(Secp256k1.get());
    JdkP256Verifier sunEc = new JdkP256Verifier();

    Signed k256 = Signed.by(TestUser.plc(KeyCurve.SECP256K1));
    measurements.put("es256k_nimbus_bc", k256.nimbus(JWSAlgorithm.ES256K));
    measurements.put("es256k_bc", k256.with(bouncyCastle));
    measurements.put("es256k_native", k256.with(secp256k1));
    measurements.put("es256k_server", serverPath(k256.user, iterations));

    Signed p256 = Signed.by(TestUser.plc(KeyCurve.P256));
    measurements.put("es256_nimbus_bc", p256.nimbus(JWSAlgorithm.ES256));
    measurements.put("es256_bc", p256.with(bouncyCastle));
    measurements.put("es256_sunec", p256.with(sunEc));
    measurements.put("es256_server", serverPath(p256.user, iterations));

    Map<String, double[]> rates = new LinkedHashMap<>();
    measurements.keySet().forEach(name -> rates.put(name, new double[rounds]));
    for (int round = 0; round < rounds; round++) {
      for (Map.Entry<String, Verification> measurement : measurements.entrySet()) {
        rates.get(measurement.getKey())[round] =
            rate(measurement.getValue(), iterations, round == 0);
      }
    }

    System.out.println("# " + SignatureBackends.shared().name());
    for (Map.Entry<String, double[]> entry : rates.entrySet()) {
      double[] sorted = entry.getValue().clone();
      Arrays.sort(sorted);
      System.out.printf(
          "# %s: %s%n", entry.getKey(), Arrays.toString(roundedAll(entry.getValue())));
      System.out.printf("%s=%.0f%n", entry.getKey(), sorted[sorted.length / 2]);
    }
    double[] nimbus = rates.get("es256k_nimbus_bc").clone();
    Arrays.sort(nimbus);
    System.out.printf("es256k_raw=%.0f%n", nimbus[nimbus.length / 2]);
  }

  /** One user's signed message, to verify again and again. */
  // Identity equality of the array components is harmless: each is verified, never compared.
  @SuppressWarnings("ArrayRecordComponent")
  private record Signed(TestUser user, byte[] signingInput, byte[] signature) {

    static Signed by(TestUser user) {
      String token = user.token(SERVICE_DID, NSID);
      int lastDot = token.lastIndexOf('.');
      return new Signed(
          user,
          token.substring(0, lastDot).getBytes(StandardCharsets.US_ASCII),
          Base64.getUrlDecoder().decode(token.substring(lastDot + 1)));
    }

    Verification with(SignatureVerifier verifier) {
      AtprotoSigningKey key = user.signingKey();
      return () -> verifier.verify(key, signingInput, signature);
    }

    Verification nimbus(JWSAlgorithm algorithm) throws Exception {
      ECDSAVerifier verifier = new ECDSAVerifier(user.signingKey().toEcPublicKey());
      verifier.getJCAContext().setProvider(BOUNCY_CASTLE);
      JWSHeader header = new JWSHeader(algorithm);
      Base64URL encoded = Base64URL.encode(signature);
      return () -> verifier.verify(header, signingInput, encoded);
    }
  }

  /**
   * The server's verifier over a resolver that always has the user's document, a distinct token
   * each call (the verifier remembers tokens it accepted, so a reused one would skip ECDSA).
   */
  private static Verification serverPath(TestUser user, int iterations) throws Exception {
    DidDocument document =
        DidDocument.parse(
            Did.parse(user.did()), DidDirectory.documentFor(user).getBytes(StandardCharsets.UTF_8));
    ServiceAuthVerifier verifier =
        new ServiceAuthVerifier((did, forceRefresh) -> document, SERVICE_DID, Clock.systemUTC());
    // Enough for the warm-up and one timed pass; later rounds get a fresh verifier's worth again.
    long exp = Clock.systemUTC().instant().getEpochSecond() + 3600;
    List<String> tokens = new ArrayList<>();
    for (int i = 0; i < iterations + warmUp(iterations); i++) {
      tokens.add(user.tokenBuilder(SERVICE_DID, NSID).claim("exp", exp).build());
    }
    int[] next = {0};
    ServiceAuthVerifier[] current = {verifier};
    return () -> {
      if (next[0] == tokens.size()) {
        // Every token is remembered by now: start over with an empty token cache.
        next[0] = 0;
        current[0] =
            new ServiceAuthVerifier(
                (did, forceRefresh) -> document, SERVICE_DID, Clock.systemUTC());
      }
      return current[0].verify(tokens.get(next[0]++), NSID).toString().equals(user.did());
    };
  }

  private static int warmUp(int iterations) {
    return Math.max(1, iterations / 4);
  }

  /**
   * Verifications per CPU second over {@code iterations} in a row, after a warm-up in round one.
   */
  private static double rate(Verification verification, int iterations, boolean warmUp)
      throws Exception {
    if (warmUp) {
      run(verification, warmUp(iterations));
    }
    long started = THREADS.getCurrentThreadCpuTime();
    run(verification, iterations);
    return iterations / ((THREADS.getCurrentThreadCpuTime() - started) / 1e9);
  }

  private static void run(Verification verification, int times) throws Exception {
    for (int i = 0; i < times; i++) {
      if (!verification.run()) {
        throw new IllegalStateException("verification failed");
      }
    }
  }

  private static long[] roundedAll(double[] values) {
    return Arrays.stream(values).mapToLong(Math::round).toArray();
  }
}
