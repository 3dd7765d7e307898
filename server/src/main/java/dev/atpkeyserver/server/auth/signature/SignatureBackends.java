package dev.atpkeyserver.server.auth.signature;

import dev.atpkeyserver.did.AtprotoSigningKey;
import dev.atpkeyserver.did.KeyCurve;
import fr.acinq.secp256k1.Secp256k1;
import java.util.Base64;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The one place that picks the signature backend for each curve, once per process, and says which:
 *
 * <ul>
 *   <li>ES256K (secp256k1): libsecp256k1 through JNI when the bundled native library loads and
 *       passes a known-answer test, else {@link BouncyCastleVerifier} with a warning;
 *   <li>ES256 (P-256): {@link BouncyCastleVerifier}, the fastest of the verifiers measured on this
 *       curve (docs/benchmarks.md, "Signature backends").
 * </ul>
 *
 * One INFO line at start-up names the backends; {@code /observe/health} shows them too. A fallback
 * changes speed only, never an answer: every backend runs the same signature-shape checks first.
 */
public final class SignatureBackends implements SignatureVerifier {

  private static final System.Logger LOG = System.getLogger(SignatureBackends.class.getName());

  /** Loads libsecp256k1; throws (or fails to link) when it cannot. */
  @FunctionalInterface
  public interface NativeLoader {
    /**
     * Loads the library.
     *
     * @return the library, ready to use
     * @throws Exception if it cannot be loaded
     */
    Secp256k1 load() throws Exception;
  }

  /**
   * The native library bundled in the secp256k1-kmp-jni-jvm jars (Linux x86-64 and aarch64, macOS,
   * Windows x86-64), extracted to {@code java.io.tmpdir} (or {@code -Dfr.acinq.secp256k1.tmpdir})
   * and loaded from there.
   */
  public static final NativeLoader BUNDLED = Secp256k1::get;

  /**
   * A known answer (the interop fixture's valid K-256 case) the native library must give before it
   * is trusted: a library that cannot verify, or that skips the check, is not used.
   */
  private static final AtprotoSigningKey KNOWN_KEY =
      AtprotoSigningKey.fromDidKey("did:key:zQ3shqwJEJyMBsBXCWyCBpUBMqxcon9oHB7mCvx4sSpMdLJwc");

  private static final byte[] KNOWN_MESSAGE = Base64.getDecoder().decode("oWVoZWxsb2V3b3JsZA");
  private static final byte[] KNOWN_SIGNATURE =
      Base64.getDecoder()
          .decode(
              "5WpdIuEUUfVUYaozsi8G0B3cWO09cgZbIIwg1t2YKdUn/FEznOndsz/qgiYb89zwxYCbB71f7yQK5Lr7NasfoA");

  private final Map<KeyCurve, SignatureVerifier> byCurve;
  private final Optional<String> nativeUnavailable;

  private SignatureBackends(
      Map<KeyCurve, SignatureVerifier> byCurve, Optional<String> nativeUnavailable) {
    this.byCurve = byCurve;
    this.nativeUnavailable = nativeUnavailable;
  }

  /**
   * The process's backends, chosen (and logged) on the first call: the native library is
   * process-wide, so every server in the process shares one choice.
   *
   * @return the backends
   */
  public static SignatureBackends shared() {
    return Shared.BACKENDS;
  }

  /**
   * Chooses the backends, loading libsecp256k1 with {@code loader}, and logs the choice.
   *
   * @param loader how to load the native library ({@link #BUNDLED} in production)
   * @return the backends
   */
  public static SignatureBackends load(NativeLoader loader) {
    BouncyCastleVerifier bouncyCastle = new BouncyCastleVerifier();
    Map<KeyCurve, SignatureVerifier> byCurve = new EnumMap<>(KeyCurve.class);
    Optional<String> nativeUnavailable = Optional.empty();
    try {
      byCurve.put(KeyCurve.SECP256K1, selfTested(new NativeSecp256k1Verifier(loader.load())));
    } catch (Exception | LinkageError e) {
      nativeUnavailable = Optional.of(e.getClass().getSimpleName() + ": " + e.getMessage());
      byCurve.put(KeyCurve.SECP256K1, bouncyCastle);
      LOG.log(
          System.Logger.Level.WARNING,
          "libsecp256k1 is unavailable ({0}); ES256K signatures are verified with BouncyCastle,"
              + " about a third of the native rate",
          nativeUnavailable.get());
    }
    byCurve.put(KeyCurve.P256, bouncyCastle);
    SignatureBackends backends = new SignatureBackends(byCurve, nativeUnavailable);
    LOG.log(System.Logger.Level.INFO, "Signature verification: {0}", backends.name());
    return backends;
  }

  /**
   * The backend serving a curve.
   *
   * @param curve the key's curve
   * @return its verifier
   */
  public SignatureVerifier backend(KeyCurve curve) {
    return byCurve.get(curve);
  }

  /**
   * The backend's name per JWS algorithm, for health details.
   *
   * @return for example {@code {ES256K=libsecp256k1 (native), ES256=BouncyCastle}}
   */
  public Map<String, String> namesByAlgorithm() {
    Map<String, String> names = new LinkedHashMap<>();
    byCurve.forEach((curve, verifier) -> names.put(curve.jwsAlgorithm(), verifier.name()));
    return names;
  }

  /**
   * Why libsecp256k1 is not used, when it is not.
   *
   * @return the load or self-test failure, or empty when the native backend is in use
   */
  public Optional<String> nativeUnavailable() {
    return nativeUnavailable;
  }

  @Override
  public boolean verify(AtprotoSigningKey key, byte[] signingInput, byte[] signature) {
    return byCurve.get(key.curve()).verify(key, signingInput, signature);
  }

  @Override
  public String name() {
    StringBuilder text = new StringBuilder();
    byCurve.forEach(
        (curve, verifier) ->
            text.append(text.isEmpty() ? "" : ", ")
                .append(curve.jwsAlgorithm())
                .append(" by ")
                .append(verifier.name()));
    return text.toString();
  }

  /**
   * The verifier, once it accepted the known signature (and its high-S twin) and refused a fake.
   */
  private static SignatureVerifier selfTested(SignatureVerifier verifier) {
    byte[] highS = CurveOrder.of(KeyCurve.SECP256K1).withNegatedS(KNOWN_SIGNATURE);
    byte[] otherMessage = KNOWN_MESSAGE.clone();
    otherMessage[0] ^= 1;
    if (!verifier.verify(KNOWN_KEY, KNOWN_MESSAGE, KNOWN_SIGNATURE)
        || !verifier.verify(KNOWN_KEY, KNOWN_MESSAGE, highS)
        || verifier.verify(KNOWN_KEY, otherMessage, KNOWN_SIGNATURE)) {
      throw new IllegalStateException("the native library failed its known-answer test");
    }
    return verifier;
  }

  /** Holder: the shared backends load when first asked for, once. */
  private static final class Shared {
    static final SignatureBackends BACKENDS = load(BUNDLED);
  }
}
