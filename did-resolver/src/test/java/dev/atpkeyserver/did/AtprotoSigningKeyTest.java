package dev.atpkeyserver.did;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import jakarta.json.JsonObject;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.Security;
import java.security.Signature;
import java.security.SignatureException;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.text.ParseException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.jce.ECNamedCurveTable;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.ECPoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class AtprotoSigningKeyTest {

  private static final Provider BC = new BouncyCastleProvider();

  static List<JsonObject> k256Vectors() {
    return Vectors.jsonArray("w3c_didkey_K256.json").getValuesAs(JsonObject.class);
  }

  static List<JsonObject> p256Vectors() {
    return Vectors.jsonArray("w3c_didkey_P256.json").getValuesAs(JsonObject.class);
  }

  static List<JsonObject> signatureFixtures() {
    return Vectors.jsonArray("signature-fixtures.json").getValuesAs(JsonObject.class);
  }

  @Test
  void vectorFilesHoldTheExpectedCases() {
    assertThat(k256Vectors(), hasSize(5));
    assertThat(p256Vectors(), hasSize(1));
    assertThat(signatureFixtures(), hasSize(6));
  }

  @ParameterizedTest
  @MethodSource("k256Vectors")
  void secp256k1PrivateKeyVectorsEncodeToTheirDidKey(JsonObject vector) {
    BigInteger scalar =
        new BigInteger(1, HexFormat.of().parseHex(vector.getString("privateKeyBytesHex")));
    AtprotoSigningKey key =
        new AtprotoSigningKey(KeyCurve.SECP256K1, publicPoint("secp256k1", scalar));

    assertThat(key.toDidKey(), equalTo(vector.getString("publicDidKey")));
    assertThat(AtprotoSigningKey.fromDidKey(vector.getString("publicDidKey")), equalTo(key));
  }

  @ParameterizedTest
  @MethodSource("p256Vectors")
  void p256PrivateKeyVectorsEncodeToTheirDidKey(JsonObject vector) {
    BigInteger scalar = new BigInteger(1, Base58.decode(vector.getString("privateKeyBytesBase58")));
    AtprotoSigningKey key = new AtprotoSigningKey(KeyCurve.P256, publicPoint("secp256r1", scalar));

    assertThat(key.toDidKey(), equalTo(vector.getString("publicDidKey")));
    assertThat(AtprotoSigningKey.fromDidKey(vector.getString("publicDidKey")), equalTo(key));
  }

  @ParameterizedTest
  @MethodSource("signatureFixtures")
  void didKeyAndLegacyMultibaseOfOneKeyDecodeToTheSameKey(JsonObject fixture) {
    KeyCurve curve =
        KeyCurve.fromLegacyVerificationMethodType(fixture.getString("didDocSuite")).orElseThrow();

    AtprotoSigningKey fromDidKey = AtprotoSigningKey.fromDidKey(fixture.getString("publicKeyDid"));
    AtprotoSigningKey fromLegacy =
        AtprotoSigningKey.fromLegacyMultibase(curve, fixture.getString("publicKeyMultibase"));

    assertThat(fromLegacy, equalTo(fromDidKey));
    assertThat(fromDidKey.hashCode(), equalTo(fromLegacy.hashCode()));
    assertThat(fromDidKey.curve().jwsAlgorithm(), equalTo(fixture.getString("algorithm")));
  }

  @ParameterizedTest
  @MethodSource("signatureFixtures")
  void jcaKeyVerifiesTheFixtureSignaturesThatAreCompact(JsonObject fixture)
      throws GeneralSecurityException {
    byte[] message = Base64.getDecoder().decode(fixture.getString("messageBase64"));
    byte[] signature = Base64.getDecoder().decode(fixture.getString("signatureBase64"));
    ECPublicKey publicKey =
        AtprotoSigningKey.fromDidKey(fixture.getString("publicKeyDid")).toEcPublicKey();
    boolean der = fixture.getJsonArray("tags").toString().contains("der-encoded");

    Signature verifier = Signature.getInstance("SHA256withPLAIN-ECDSA", BC);
    verifier.initVerify(publicKey);
    verifier.update(message);
    // High-S signatures are mathematically valid (only atproto's strict mode refuses them);
    // DER signatures are not the 64-byte form plain ECDSA expects.
    assertThat(verifies(verifier, signature), is(!der));
    if (!der) {
      message[0] ^= 1;
      verifier.update(message);
      assertThat(verifies(verifier, signature), is(false));
    }
  }

  private static boolean verifies(Signature verifier, byte[] signature) {
    try {
      return verifier.verify(signature);
    } catch (SignatureException e) {
      return false;
    }
  }

  @ParameterizedTest
  @EnumSource(KeyCurve.class)
  void jcaKeyWorksWithNimbusEcdsaVerifier(KeyCurve curve)
      throws GeneralSecurityException, JOSEException, ParseException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", BC);
    generator.initialize(new ECGenParameterSpec(curve.curveName()));
    KeyPair pair = generator.generateKeyPair();
    byte[] compressed =
        ((org.bouncycastle.jce.interfaces.ECPublicKey) pair.getPublic()).getQ().getEncoded(true);
    Curve nimbusCurve = curve == KeyCurve.SECP256K1 ? Curve.SECP256K1 : Curve.P_256;
    ECDSASigner signer = new ECDSASigner(pair.getPrivate(), nimbusCurve);
    signer.getJCAContext().setProvider(BC);
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader(JWSAlgorithm.parse(curve.jwsAlgorithm())),
            new JWTClaimsSet.Builder().issuer("did:plc:ewvi7nxzyoun6zhxrhs64oiz").build());
    jwt.sign(signer);

    ECPublicKey publicKey = new AtprotoSigningKey(curve, compressed).toEcPublicKey();
    ECDSAVerifier verifier = new ECDSAVerifier(publicKey);
    verifier.getJCAContext().setProvider(BC);

    assertThat(Curve.forECParameterSpec(publicKey.getParams()), equalTo(nimbusCurve));
    assertThat(SignedJWT.parse(jwt.serialize()).verify(verifier), is(true));
  }

  @Test
  void doesNotRegisterBouncyCastleGlobally() {
    AtprotoSigningKey.fromDidKey(TestDocuments.K256_DID_KEY).toEcPublicKey();

    assertThat(Security.getProvider("BC"), equalTo(null));
  }

  @Test
  void multibaseStartsWithTheCurvePrefixes() {
    assertThat(
        AtprotoSigningKey.fromDidKey(TestDocuments.K256_DID_KEY).toMultibase(), startsWith("zQ3s"));
    assertThat(
        AtprotoSigningKey.fromDidKey(TestDocuments.P256_DID_KEY).toMultibase(), startsWith("zDn"));
    assertThat(
        AtprotoSigningKey.fromMultikey(TestDocuments.P256_MULTIKEY).toDidKey(),
        equalTo(TestDocuments.P256_DID_KEY));
  }

  @ParameterizedTest
  @EnumSource(KeyCurve.class)
  void legacyUncompressedPointIsNormalisedToCompressed(KeyCurve curve) {
    AtprotoSigningKey key =
        AtprotoSigningKey.fromDidKey(
            curve == KeyCurve.SECP256K1 ? TestDocuments.K256_DID_KEY : TestDocuments.P256_DID_KEY);
    byte[] uncompressed = bcCurve(curve).decodePoint(key.compressedPoint()).getEncoded(false);

    AtprotoSigningKey decoded =
        AtprotoSigningKey.fromLegacyMultibase(curve, "z" + Base58.encode(uncompressed));

    assertThat(uncompressed.length, equalTo(65));
    assertThat(decoded, equalTo(key));
    assertThat(decoded.compressedPoint().length, equalTo(33));
  }

  @ParameterizedTest
  @EnumSource(KeyCurve.class)
  void refusesACompressedXWithNoPointOnTheCurve(KeyCurve curve) {
    byte[] bad = xWithoutPoint(curve);
    byte[] prefix =
        curve == KeyCurve.SECP256K1
            ? new byte[] {(byte) 0xE7, 0x01}
            : new byte[] {(byte) 0x80, 0x24};

    assertThrows(InvalidSigningKeyException.class, () -> new AtprotoSigningKey(curve, bad));
    assertThrows(
        InvalidSigningKeyException.class,
        () -> AtprotoSigningKey.fromMultikey("z" + Base58.encode(concat(prefix, bad))));
    assertThrows(
        InvalidSigningKeyException.class,
        () -> AtprotoSigningKey.fromLegacyMultibase(curve, "z" + Base58.encode(bad)));
  }

  @Test
  void refusesAnUncompressedPointOffTheCurve() {
    AtprotoSigningKey key = AtprotoSigningKey.fromDidKey(TestDocuments.K256_DID_KEY);
    byte[] uncompressed =
        bcCurve(KeyCurve.SECP256K1).decodePoint(key.compressedPoint()).getEncoded(false);
    uncompressed[64] ^= 1;

    assertThrows(
        InvalidSigningKeyException.class,
        () ->
            AtprotoSigningKey.fromLegacyMultibase(
                KeyCurve.SECP256K1, "z" + Base58.encode(uncompressed)));
  }

  @Test
  void refusesAnXCoordinateOutsideTheField() {
    byte[] bytes = new byte[33];
    Arrays.fill(bytes, (byte) 0xff);
    bytes[0] = 0x02;

    assertThrows(
        InvalidSigningKeyException.class, () -> new AtprotoSigningKey(KeyCurve.SECP256K1, bytes));
  }

  @Test
  void refusesEncodingsThatAreNotCompressedPoints() {
    byte[] compressed = AtprotoSigningKey.fromDidKey(TestDocuments.K256_DID_KEY).compressedPoint();
    byte[] wrongLead = compressed.clone();
    wrongLead[0] = 0x04;
    byte[] hybrid = bcCurve(KeyCurve.SECP256K1).decodePoint(compressed).getEncoded(false);
    hybrid[0] = (byte) (0x06 | (hybrid[64] & 1));

    assertThrows(
        InvalidSigningKeyException.class,
        () -> new AtprotoSigningKey(KeyCurve.SECP256K1, wrongLead));
    assertThrows(
        InvalidSigningKeyException.class,
        () -> new AtprotoSigningKey(KeyCurve.SECP256K1, Arrays.copyOf(compressed, 32)));
    assertThrows(
        InvalidSigningKeyException.class,
        () ->
            AtprotoSigningKey.fromLegacyMultibase(KeyCurve.SECP256K1, "z" + Base58.encode(hybrid)));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "zQ3shqwJEJyMBsBXCWyCBpUBMqxcon9oHB7mCvx4sSpMdLJw", // one character short
        "z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK", // ed25519 (0xED 0x01)
        "mOgEC", // not base58btc
        "z", // nothing
        "zQ3sh0wJEJyMBsBXCWyCBpUBMqxcon9oHB7mCvx4sSpMdLJwc" // '0' is not base58
      })
  void refusesMultikeysThatAreNotSecp256k1OrP256Points(String multikey) {
    assertThrows(InvalidSigningKeyException.class, () -> AtprotoSigningKey.fromMultikey(multikey));
  }

  @Test
  void refusesDidKeyWithoutItsPrefix() {
    InvalidSigningKeyException e =
        assertThrows(
            InvalidSigningKeyException.class,
            () -> AtprotoSigningKey.fromDidKey(TestDocuments.K256_MULTIKEY));

    assertThat(e.getMessage(), containsString("did:key:"));
    assertThat(e.getMessage(), not(containsString(TestDocuments.K256_MULTIKEY)));
  }

  @Test
  void refusesLegacyKeyOfTheWrongLength() {
    byte[] compressed = AtprotoSigningKey.fromDidKey(TestDocuments.K256_DID_KEY).compressedPoint();

    assertThrows(
        InvalidSigningKeyException.class,
        () ->
            AtprotoSigningKey.fromLegacyMultibase(
                KeyCurve.SECP256K1, "z" + Base58.encode(concat(compressed, new byte[] {0}))));
  }

  @Test
  void decodesLegacyKeysInOtherMultibaseEncodings() {
    AtprotoSigningKey key = AtprotoSigningKey.fromDidKey(TestDocuments.P256_DID_KEY);
    String hex = "f" + HexFormat.of().formatHex(key.compressedPoint());
    String base64 =
        "m" + Base64.getEncoder().withoutPadding().encodeToString(key.compressedPoint());

    assertThat(AtprotoSigningKey.fromLegacyMultibase(KeyCurve.P256, hex), equalTo(key));
    assertThat(AtprotoSigningKey.fromLegacyMultibase(KeyCurve.P256, base64), equalTo(key));
  }

  @Test
  void keepsDefensiveCopiesOfThePoint() {
    byte[] point = AtprotoSigningKey.fromDidKey(TestDocuments.K256_DID_KEY).compressedPoint();
    AtprotoSigningKey key = new AtprotoSigningKey(KeyCurve.SECP256K1, point);

    point[5] ^= 1;
    key.compressedPoint()[6] ^= 1;

    assertThat(key.toDidKey(), equalTo(TestDocuments.K256_DID_KEY));
  }

  @Test
  void equalityIsByCurveAndPointAndToStringShowsTheDidKey() {
    AtprotoSigningKey k256 = AtprotoSigningKey.fromDidKey(TestDocuments.K256_DID_KEY);
    AtprotoSigningKey other = AtprotoSigningKey.fromDidKey(TestDocuments.OTHER_K256_DID_KEY);

    assertThat(k256, equalTo(AtprotoSigningKey.fromMultikey(TestDocuments.K256_MULTIKEY)));
    assertThat(k256, not(equalTo(other)));
    assertThat(k256.toString(), containsString(TestDocuments.K256_DID_KEY));
    assertThat(k256.toString(), containsString("SECP256K1"));
  }

  @Test
  void curvesNameTheirJwsAlgorithms() {
    assertThat(KeyCurve.SECP256K1.jwsAlgorithm(), equalTo("ES256K"));
    assertThat(KeyCurve.P256.jwsAlgorithm(), equalTo("ES256"));
    assertThat(KeyCurve.fromJwsAlgorithm("ES256K").orElseThrow(), equalTo(KeyCurve.SECP256K1));
    assertThat(KeyCurve.fromJwsAlgorithm("ES256").orElseThrow(), equalTo(KeyCurve.P256));
    assertThat(KeyCurve.fromJwsAlgorithm("EdDSA").isPresent(), is(false));
    assertThat(KeyCurve.fromLegacyVerificationMethodType("Multikey").isPresent(), is(false));
  }

  private static byte[] publicPoint(String curveName, BigInteger scalar) {
    return ECNamedCurveTable.getParameterSpec(curveName)
        .getG()
        .multiply(scalar)
        .normalize()
        .getEncoded(true);
  }

  private static ECCurve bcCurve(KeyCurve curve) {
    return ECNamedCurveTable.getParameterSpec(curve.curveName()).getCurve();
  }

  /** The first x = 1, 2, ... that is not the x coordinate of a point on the curve. */
  private static byte[] xWithoutPoint(KeyCurve curve) {
    for (int x = 1; ; x++) {
      byte[] candidate = new byte[33];
      candidate[0] = 0x02;
      candidate[32] = (byte) x;
      try {
        ECPoint point = bcCurve(curve).decodePoint(candidate);
        if (!point.isValid()) {
          return candidate;
        }
      } catch (IllegalArgumentException e) {
        return candidate;
      }
    }
  }

  private static byte[] concat(byte[] first, byte[] second) {
    byte[] out = Arrays.copyOf(first, first.length + second.length);
    System.arraycopy(second, 0, out, first.length, second.length);
    return out;
  }
}
