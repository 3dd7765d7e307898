package dev.atpkeyserver.did;

import java.security.spec.ECParameterSpec;
import java.util.Optional;
import org.bouncycastle.jce.ECNamedCurveTable;
import org.bouncycastle.jce.spec.ECNamedCurveParameterSpec;
import org.bouncycastle.jce.spec.ECNamedCurveSpec;
import org.bouncycastle.math.ec.ECCurve;

/** The two curves atproto signing keys use, with the JWS algorithm each one signs with. */
public enum KeyCurve {
  /** secp256k1 (K-256): JWS {@code ES256K}, multicodec secp256k1-pub. */
  SECP256K1("ES256K", "secp256k1", 0xE7, 0x01, "EcdsaSecp256k1VerificationKey2019"),
  /** NIST P-256 (secp256r1): JWS {@code ES256}, multicodec p256-pub. */
  P256("ES256", "secp256r1", 0x80, 0x24, "EcdsaSecp256r1VerificationKey2019");

  private final String jwsAlgorithm;
  private final String curveName;
  private final byte multicodecFirst;
  private final byte multicodecSecond;
  private final String legacyVerificationMethodType;

  // Curve parameters have no setters and nothing here changes them; Error Prone only trusts types
  // annotated @Immutable, which neither the BouncyCastle nor the JDK spec is.
  @SuppressWarnings("ImmutableEnumChecker")
  private final ECNamedCurveParameterSpec bouncyCastleSpec;

  @SuppressWarnings("ImmutableEnumChecker")
  private final ECParameterSpec jcaSpec;

  KeyCurve(
      String jwsAlgorithm,
      String curveName,
      int multicodecFirst,
      int multicodecSecond,
      String legacyVerificationMethodType) {
    this.jwsAlgorithm = jwsAlgorithm;
    this.curveName = curveName;
    this.multicodecFirst = (byte) multicodecFirst;
    this.multicodecSecond = (byte) multicodecSecond;
    this.legacyVerificationMethodType = legacyVerificationMethodType;
    this.bouncyCastleSpec = ECNamedCurveTable.getParameterSpec(curveName);
    // Standard named-curve parameters: nimbus-jose-jwt identifies the curve of a key by
    // comparing these values, so they must be exactly the SEC 2 ones.
    this.jcaSpec =
        new ECNamedCurveSpec(
            curveName,
            bouncyCastleSpec.getCurve(),
            bouncyCastleSpec.getG(),
            bouncyCastleSpec.getN(),
            bouncyCastleSpec.getH(),
            bouncyCastleSpec.getSeed());
  }

  /**
   * The JWS {@code alg} a key on this curve signs with.
   *
   * @return {@code ES256K} or {@code ES256}
   */
  public String jwsAlgorithm() {
    return jwsAlgorithm;
  }

  /**
   * The SEC 2 name of the curve.
   *
   * @return {@code secp256k1} or {@code secp256r1}
   */
  public String curveName() {
    return curveName;
  }

  /**
   * The legacy DID-document verification method type for keys on this curve.
   *
   * @return {@code EcdsaSecp256k1VerificationKey2019} or {@code EcdsaSecp256r1VerificationKey2019}
   */
  public String legacyVerificationMethodType() {
    return legacyVerificationMethodType;
  }

  /**
   * The curve whose JWS algorithm is the given one.
   *
   * @param jwsAlgorithm a JWS {@code alg} value
   * @return the curve, or empty for any other algorithm
   */
  public static Optional<KeyCurve> fromJwsAlgorithm(String jwsAlgorithm) {
    for (KeyCurve curve : values()) {
      if (curve.jwsAlgorithm.equals(jwsAlgorithm)) {
        return Optional.of(curve);
      }
    }
    return Optional.empty();
  }

  /**
   * The curve of a legacy verification method type.
   *
   * @param type a verification method {@code type}
   * @return the curve, or empty if the type is not one of the two legacy ECDSA types
   */
  public static Optional<KeyCurve> fromLegacyVerificationMethodType(String type) {
    for (KeyCurve curve : values()) {
      if (curve.legacyVerificationMethodType.equals(type)) {
        return Optional.of(curve);
      }
    }
    return Optional.empty();
  }

  /** The curve whose two-byte multicodec varint prefix this is, or null. */
  static KeyCurve fromMulticodec(byte first, byte second) {
    for (KeyCurve curve : values()) {
      if (curve.multicodecFirst == first && curve.multicodecSecond == second) {
        return curve;
      }
    }
    return null;
  }

  byte[] multicodecPrefix() {
    return new byte[] {multicodecFirst, multicodecSecond};
  }

  ECCurve bouncyCastleCurve() {
    return bouncyCastleSpec.getCurve();
  }

  ECParameterSpec jcaSpec() {
    return jcaSpec;
  }
}
