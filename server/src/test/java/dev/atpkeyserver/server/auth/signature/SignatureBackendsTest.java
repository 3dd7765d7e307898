package dev.atpkeyserver.server.auth.signature;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;

import dev.atpkeyserver.did.AtprotoSigningKey;
import dev.atpkeyserver.did.KeyCurve;
import dev.atpkeyserver.server.testing.SharedVectors;
import dev.atpkeyserver.server.testing.TestUser;
import fr.acinq.secp256k1.Secp256k1;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Proxy;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The signature backends answer alike: libsecp256k1 and BouncyCastle on secp256k1, BouncyCastle and
 * the JDK's SunEC on P-256, on every signature in {@code shared/vectors} and on the edge cases
 * around them; and the native backend gives way to BouncyCastle when it cannot load.
 */
class SignatureBackendsTest {

  private static final Secp256k1 LIBRARY = Secp256k1.get();
  private static final NativeSecp256k1Verifier NATIVE = new NativeSecp256k1Verifier(LIBRARY);
  private static final BouncyCastleVerifier BOUNCY_CASTLE = new BouncyCastleVerifier();
  private static final JdkP256Verifier SUN_EC = new JdkP256Verifier();
  private static final BigInteger MAX_SCALAR =
      BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE);

  /** Every verifier serving a curve: the two paths, and SunEC as a third opinion on P-256. */
  private static List<SignatureVerifier> verifiersFor(KeyCurve curve) {
    return switch (curve) {
      case SECP256K1 -> List.of(NATIVE, BOUNCY_CASTLE);
      case P256 -> List.of(BOUNCY_CASTLE, SUN_EC);
    };
  }

  /**
   * The interop signature fixtures: service auth accepts the valid and the high-S ones (as the
   * official verifier does for tokens) and refuses DER (we take only the 64-byte form).
   */
  static Stream<Arguments> signatureFixtures() throws IOException {
    List<Arguments> cases = new ArrayList<>();
    try (JsonReader reader =
        Json.createReader(
            Files.newBufferedReader(SharedVectors.dir().resolve("signature-fixtures.json")))) {
      for (JsonObject fixture : reader.readArray().getValuesAs(JsonObject.class)) {
        boolean highS = fixture.getJsonArray("tags").toString().contains("high-s");
        cases.add(
            Arguments.of(
                fixture.getString("comment"),
                AtprotoSigningKey.fromDidKey(fixture.getString("publicKeyDid")),
                Base64.getDecoder().decode(fixture.getString("messageBase64")),
                Base64.getDecoder().decode(fixture.getString("signatureBase64")),
                Optional.of(fixture.getBoolean("validSignature") || highS)));
      }
    }
    assertThat(cases, hasSize(6));
    return cases.stream();
  }

  /**
   * The signatures of the service-auth vectors, against the key that made them. A vector pins the
   * answer when it records the strict signature check, or when the official verifier accepted the
   * token: good, except the DER-encoded ones (we take only the 64-byte form). The others (a header
   * changed after signing, claims refused before the signature check) pin only that both paths
   * agree; ServiceJwtVectorsTest checks their claims.
   */
  static Stream<Arguments> serviceJwtSignatures() {
    List<JsonObject> vectors =
        SharedVectors.json("service-jwt-cases.json")
            .getJsonArray("cases")
            .getValuesAs(JsonObject.class);
    assertThat(vectors, hasSize(16));
    return vectors.stream()
        .map(
            vector -> {
              String token = vector.getString("token");
              int lastDot = token.lastIndexOf('.');
              String description = vector.getString("description");
              boolean pinned =
                  vector.containsKey("strictCryptoVerifySignatureResult")
                      || vector.getString("xrpcServerVerifyJwtResult").equals("accepted");
              return Arguments.of(
                  description,
                  AtprotoSigningKey.fromDidKey(vector.getString("signingKeyDid")),
                  token.substring(0, lastDot).getBytes(StandardCharsets.US_ASCII),
                  Base64.getUrlDecoder().decode(token.substring(lastDot + 1)),
                  pinned ? Optional.of(!description.startsWith("DER-encoded")) : Optional.empty());
            });
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource({"signatureFixtures", "serviceJwtSignatures"})
  void bothPathsGiveTheSameAnswerOnEveryVector(
      String description,
      AtprotoSigningKey key,
      byte[] message,
      byte[] signature,
      Optional<Boolean> expected) {
    Map<String, Boolean> answers = new LinkedHashMap<>();
    for (SignatureVerifier verifier : verifiersFor(key.curve())) {
      answers.put(verifier.name(), verifier.verify(key, message, signature));
    }
    assertThat(description + ": " + answers, answers.values().stream().distinct().count(), is(1L));
    expected.ifPresent(
        answer ->
            assertThat(
                description + ": " + answers, answers.values().iterator().next(), equalTo(answer)));
  }

  @ParameterizedTest
  @EnumSource(KeyCurve.class)
  void highAndLowSAreAcceptedOnBothPaths(KeyCurve curve) {
    // Enough fresh signatures that both forms of s come up as signed, and as each other's twin.
    for (int i = 0; i < 20; i++) {
      Signed signed = Signed.fresh(curve);
      byte[] twin = CurveOrder.of(curve).withNegatedS(signed.signature);
      for (SignatureVerifier verifier : verifiersFor(curve)) {
        assertThat(verifier.name(), verifier.verify(signed.key, signed.message, signed.signature));
        assertThat(verifier.name(), verifier.verify(signed.key, signed.message, twin));
      }
    }
  }

  @ParameterizedTest
  @EnumSource(KeyCurve.class)
  void anotherKeyOrAnotherMessageIsRefused(KeyCurve curve) {
    Signed signed = Signed.fresh(curve);
    AtprotoSigningKey otherKey = TestUser.plc(curve).signingKey();
    byte[] otherMessage = signed.message.clone();
    otherMessage[otherMessage.length - 1] ^= 1;
    for (SignatureVerifier verifier : verifiersFor(curve)) {
      assertThat(
          verifier.name(), verifier.verify(otherKey, signed.message, signed.signature), is(false));
      assertThat(
          verifier.name(), verifier.verify(signed.key, otherMessage, signed.signature), is(false));
    }
  }

  @ParameterizedTest
  @EnumSource(KeyCurve.class)
  void signaturesOfAnyOtherShapeAreRefusedOnBothPaths(KeyCurve curve) {
    Signed signed = Signed.fresh(curve);
    byte[] sig = signed.signature;
    BigInteger n = CustomNamedCurves.getByName(curve.curveName()).getN();
    Map<String, byte[]> malformed = new LinkedHashMap<>();
    malformed.put("63 bytes", Arrays.copyOf(sig, 63));
    malformed.put("65 bytes (a zero appended)", Arrays.copyOf(sig, 65));
    malformed.put("65 bytes (a zero prefixed)", concat(new byte[1], sig));
    malformed.put("empty", new byte[0]);
    malformed.put("r = 0", withScalar(sig, 0, BigInteger.ZERO));
    malformed.put("s = 0", withScalar(sig, 32, BigInteger.ZERO));
    malformed.put("r = n", withScalar(sig, 0, n));
    malformed.put("s = n", withScalar(sig, 32, n));
    malformed.put("r = 2^256 - 1", withScalar(sig, 0, MAX_SCALAR));
    malformed.put("s = 2^256 - 1", withScalar(sig, 32, MAX_SCALAR));
    malformed.put("DER", der(sig));
    for (Map.Entry<String, byte[]> entry : malformed.entrySet()) {
      for (SignatureVerifier verifier : verifiersFor(curve)) {
        assertThat(
            entry.getKey() + " with " + verifier.name(),
            verifier.verify(signed.key, signed.message, entry.getValue()),
            is(false));
      }
    }
  }

  @Test
  void theNativeLibraryServesSecp256k1WhenItLoads() {
    List<LogRecord> logged = new ArrayList<>();
    SignatureBackends backends = withLog(logged, () -> SignatureBackends.load(() -> LIBRARY));

    assertThat(backends.backend(KeyCurve.SECP256K1), instanceOf(NativeSecp256k1Verifier.class));
    assertThat(backends.backend(KeyCurve.P256), instanceOf(BouncyCastleVerifier.class));
    assertThat(
        backends.namesByAlgorithm(),
        equalTo(Map.of("ES256K", "libsecp256k1 (native)", "ES256", "BouncyCastle")));
    assertThat(backends.nativeUnavailable(), equalTo(Optional.empty()));
    assertThat(levels(logged), equalTo(List.of(Level.INFO)));
    assertThat(
        MessageFormat.format(logged.get(0).getMessage(), logged.get(0).getParameters()),
        equalTo("Signature verification: ES256K by libsecp256k1 (native), ES256 by BouncyCastle"));
  }

  @Test
  void bouncyCastleServesSecp256k1WhenTheNativeLibraryCannotLoad() {
    List<LogRecord> logged = new ArrayList<>();
    SignatureBackends backends =
        withLog(
            logged,
            () ->
                SignatureBackends.load(
                    () -> {
                      throw new UnsatisfiedLinkError("no libsecp256k1-jni for this platform");
                    }));

    assertThat(backends.backend(KeyCurve.SECP256K1), instanceOf(BouncyCastleVerifier.class));
    assertThat(backends.namesByAlgorithm().get("ES256K"), equalTo("BouncyCastle"));
    assertThat(
        backends.nativeUnavailable().orElseThrow(),
        containsString("no libsecp256k1-jni for this platform"));
    assertThat(levels(logged), equalTo(List.of(Level.WARNING, Level.INFO)));
    // Slower, still right.
    Signed signed = Signed.fresh(KeyCurve.SECP256K1);
    assertThat(backends.verify(signed.key, signed.message, signed.signature), is(true));
    assertThat(
        backends.verify(
            signed.key,
            signed.message,
            CurveOrder.of(KeyCurve.SECP256K1).withNegatedS(signed.signature)),
        is(true));
  }

  @Test
  void aLibraryThatLoadsButCannotVerifyIsNotUsed() {
    // As when the loaded native file lacks the JNI entry points: every call fails to link.
    Secp256k1 unlinked =
        (Secp256k1)
            Proxy.newProxyInstance(
                Secp256k1.class.getClassLoader(),
                new Class<?>[] {Secp256k1.class},
                (proxy, method, args) -> {
                  throw new UnsatisfiedLinkError(method.getName());
                });

    SignatureBackends backends =
        withLog(new ArrayList<>(), () -> SignatureBackends.load(() -> unlinked));

    assertThat(backends.backend(KeyCurve.SECP256K1), instanceOf(BouncyCastleVerifier.class));
    assertThat(backends.nativeUnavailable().isPresent(), is(true));
  }

  @Test
  void theSharedBackendsUseTheNativeLibraryInTheseTests() {
    // Surefire runs with --enable-native-access and the bundled library for this platform.
    assertThat(
        SignatureBackends.shared().backend(KeyCurve.SECP256K1),
        instanceOf(NativeSecp256k1Verifier.class));
  }

  /** A fresh key's signature over a random message, made by BouncyCastle through nimbus. */
  // Identity equality of the array components is harmless: each is used once, never compared.
  @SuppressWarnings("ArrayRecordComponent")
  private record Signed(AtprotoSigningKey key, byte[] message, byte[] signature) {
    static Signed fresh(KeyCurve curve) {
      TestUser user = TestUser.plc(curve);
      String token = user.token("did:web:keys.example.com", "com.example.getThing");
      int lastDot = token.lastIndexOf('.');
      return new Signed(
          user.signingKey(),
          token.substring(0, lastDot).getBytes(StandardCharsets.US_ASCII),
          Base64.getUrlDecoder().decode(token.substring(lastDot + 1)));
    }
  }

  /** The same signature DER-encoded, as JCA's plain SHA256withECDSA would take it. */
  private static byte[] der(byte[] signature) {
    try {
      return new DERSequence(
              new ASN1Encodable[] {
                new ASN1Integer(new BigInteger(1, signature, 0, 32)),
                new ASN1Integer(new BigInteger(1, signature, 32, 32))
              })
          .getEncoded();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code signature} with the 32 bytes at {@code offset} set to {@code value} mod 2^256. */
  private static byte[] withScalar(byte[] signature, int offset, BigInteger value) {
    byte[] bytes = value.toByteArray();
    byte[] fixed = new byte[32];
    int length = Math.min(bytes.length, 32);
    System.arraycopy(bytes, bytes.length - length, fixed, 32 - length, length);
    byte[] copy = signature.clone();
    System.arraycopy(fixed, 0, copy, offset, 32);
    return copy;
  }

  private static byte[] concat(byte[] first, byte[] second) {
    byte[] both = Arrays.copyOf(first, first.length + second.length);
    System.arraycopy(second, 0, both, first.length, second.length);
    return both;
  }

  private static List<Level> levels(List<LogRecord> records) {
    return records.stream().map(LogRecord::getLevel).toList();
  }

  /** Runs {@code action}, collecting what SignatureBackends logs meanwhile. */
  private static <T> T withLog(List<LogRecord> records, Supplier<T> action) {
    Logger logger = Logger.getLogger(SignatureBackends.class.getName());
    Level level = logger.getLevel();
    logger.setLevel(Level.INFO);
    Handler handler =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            records.add(record);
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    logger.addHandler(handler);
    try {
      return action.get();
    } finally {
      logger.removeHandler(handler);
      logger.setLevel(level);
    }
  }
}
