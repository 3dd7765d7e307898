package dev.atpkeyserver.did;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.Provider;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECPublicKeySpec;
import java.util.Arrays;
import java.util.Objects;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.math.ec.ECPoint;

/**
 * An atproto signing key: a public point on secp256k1 or P-256, held in compressed SEC 1 form (33
 * bytes). The constructor refuses points that are not on the curve, so every instance is usable.
 *
 * <p>Decodes the three encodings atproto uses ({@code did:key}, Multikey and the legacy bare {@code
 * publicKeyMultibase}) and converts to a JCA {@link ECPublicKey}. Public keys are not secret, so
 * {@link #toString()} shows the did:key.
 *
 * @param curve the curve of the key
 * @param compressedPoint the 33-byte compressed SEC 1 point ({@code 02}/{@code 03} then X)
 */
// equals() and hashCode() below compare the point by value, so an array component is safe.
@SuppressWarnings("ArrayRecordComponent")
public record AtprotoSigningKey(KeyCurve curve, byte[] compressedPoint) {

  private static final String DID_KEY_PREFIX = "did:key:";
  private static final int COMPRESSED_LENGTH = 33;
  private static final int UNCOMPRESSED_LENGTH = 65;

  /**
   * Our own provider instance, never registered with Security.addProvider: the library must not
   * change the JVM's provider list. The JDK's SunEC no longer supports secp256k1. Built on first
   * use of {@link #toEcPublicKey}, not with this class: setting a provider up registers hundreds of
   * algorithms and loads their classes from BouncyCastle's signed jar, which the JVM verifies and
   * cannot keep in a CDS or AOT cache (a tenth of the keyserver's start-up CPU), while parsing keys
   * needs none of it.
   */
  private static final class Jca {
    static final Provider BOUNCY_CASTLE = new BouncyCastleProvider();
  }

  /**
   * Creates a key from a compressed point, checking that it lies on the curve.
   *
   * @throws InvalidSigningKeyException if the bytes are not a compressed point on the curve
   */
  public AtprotoSigningKey {
    Objects.requireNonNull(curve, "curve");
    Objects.requireNonNull(compressedPoint, "compressedPoint");
    if (compressedPoint.length != COMPRESSED_LENGTH
        || (compressedPoint[0] != 0x02 && compressedPoint[0] != 0x03)) {
      throw new InvalidSigningKeyException("key is not a 33-byte compressed point");
    }
    compressedPoint = decodePoint(curve, compressedPoint).getEncoded(true);
  }

  /**
   * Decodes a Multikey {@code publicKeyMultibase}: {@code z} + base58btc(multicodec prefix +
   * compressed point), prefix {@code 0xE7 0x01} (secp256k1) or {@code 0x80 0x24} (P-256).
   *
   * @param publicKeyMultibase the Multikey text, for example {@code zQ3sh...} or {@code zDn...}
   * @return the key
   * @throws InvalidSigningKeyException if it is not such a key
   */
  public static AtprotoSigningKey fromMultikey(String publicKeyMultibase) {
    Objects.requireNonNull(publicKeyMultibase, "publicKeyMultibase");
    if (!publicKeyMultibase.startsWith("z")) {
      throw new InvalidSigningKeyException("Multikey must be base58btc (prefix 'z')");
    }
    byte[] bytes;
    try {
      bytes = Base58.decode(publicKeyMultibase.substring(1));
    } catch (IllegalArgumentException e) {
      throw new InvalidSigningKeyException("Multikey is not valid base58btc", e);
    }
    KeyCurve curve = bytes.length < 2 ? null : KeyCurve.fromMulticodec(bytes[0], bytes[1]);
    if (curve == null) {
      throw new InvalidSigningKeyException("Multikey is not a secp256k1 or P-256 public key");
    }
    if (bytes.length - 2 != COMPRESSED_LENGTH) {
      throw new InvalidSigningKeyException("Multikey must hold a 33-byte compressed point");
    }
    return new AtprotoSigningKey(curve, Arrays.copyOfRange(bytes, 2, bytes.length));
  }

  /**
   * Decodes a legacy {@code publicKeyMultibase} (verification method types {@code
   * EcdsaSecp256k1VerificationKey2019} / {@code EcdsaSecp256r1VerificationKey2019}): multibase over
   * the bare point, compressed (33 bytes) or uncompressed (65 bytes), with no multicodec prefix;
   * the curve comes from the type.
   *
   * @param curve the curve named by the verification method type
   * @param publicKeyMultibase the multibase text ({@code z...} in practice)
   * @return the key, normalised to compressed form
   * @throws InvalidSigningKeyException if it is not a point on that curve
   */
  public static AtprotoSigningKey fromLegacyMultibase(KeyCurve curve, String publicKeyMultibase) {
    Objects.requireNonNull(curve, "curve");
    Objects.requireNonNull(publicKeyMultibase, "publicKeyMultibase");
    byte[] bytes;
    try {
      bytes = Multibase.decode(publicKeyMultibase);
    } catch (IllegalArgumentException e) {
      throw new InvalidSigningKeyException("publicKeyMultibase is not valid multibase", e);
    }
    boolean compressed =
        bytes.length == COMPRESSED_LENGTH && (bytes[0] == 0x02 || bytes[0] == 0x03);
    boolean uncompressed = bytes.length == UNCOMPRESSED_LENGTH && bytes[0] == 0x04;
    if (!compressed && !uncompressed) {
      throw new InvalidSigningKeyException(
          "publicKeyMultibase must hold a 33-byte compressed or 65-byte uncompressed point");
    }
    return new AtprotoSigningKey(curve, decodePoint(curve, bytes).getEncoded(true));
  }

  /**
   * Decodes a {@code did:key} holding a secp256k1 or P-256 key.
   *
   * @param didKey for example {@code did:key:zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme}
   * @return the key
   * @throws InvalidSigningKeyException if it is not such a did:key
   */
  public static AtprotoSigningKey fromDidKey(String didKey) {
    Objects.requireNonNull(didKey, "didKey");
    if (!didKey.startsWith(DID_KEY_PREFIX)) {
      throw new InvalidSigningKeyException("did:key must start with 'did:key:'");
    }
    return fromMultikey(didKey.substring(DID_KEY_PREFIX.length()));
  }

  /**
   * Returns a copy of the compressed point.
   *
   * @return 33 bytes
   */
  @Override
  public byte[] compressedPoint() {
    return compressedPoint.clone();
  }

  /**
   * Encodes the key as Multikey text ({@code z} + base58btc(multicodec prefix + point)).
   *
   * @return for example {@code zQ3sh...}
   */
  public String toMultibase() {
    byte[] prefix = curve.multicodecPrefix();
    byte[] bytes = Arrays.copyOf(prefix, prefix.length + compressedPoint.length);
    System.arraycopy(compressedPoint, 0, bytes, prefix.length, compressedPoint.length);
    return "z" + Base58.encode(bytes);
  }

  /**
   * Encodes the key as a did:key.
   *
   * @return {@code did:key:} + {@link #toMultibase()}
   */
  public String toDidKey() {
    return DID_KEY_PREFIX + toMultibase();
  }

  /**
   * Converts the key to a JCA public key with the standard named-curve parameters, built by a
   * private BouncyCastle provider instance. It works with nimbus-jose-jwt's {@code ECDSAVerifier}
   * (given a BouncyCastle provider for secp256k1) and with {@code Signature} objects from
   * BouncyCastle.
   *
   * @return the public key
   */
  public ECPublicKey toEcPublicKey() {
    ECPoint point = decodePoint(curve, compressedPoint).normalize();
    java.security.spec.ECPoint w =
        new java.security.spec.ECPoint(
            point.getAffineXCoord().toBigInteger(), point.getAffineYCoord().toBigInteger());
    try {
      KeyFactory factory = KeyFactory.getInstance("EC", Jca.BOUNCY_CASTLE);
      return (ECPublicKey) factory.generatePublic(new ECPublicKeySpec(w, curve.jcaSpec()));
    } catch (GeneralSecurityException e) {
      // The point was validated on construction, so this means a broken BouncyCastle.
      throw new IllegalStateException("BouncyCastle could not build an EC public key", e);
    }
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof AtprotoSigningKey that
        && curve == that.curve
        && Arrays.equals(compressedPoint, that.compressedPoint);
  }

  @Override
  public int hashCode() {
    return 31 * curve.name().hashCode() + Arrays.hashCode(compressedPoint);
  }

  @Override
  public String toString() {
    return "AtprotoSigningKey[curve=" + curve + ", didKey=" + toDidKey() + "]";
  }

  /** Decodes a SEC 1 point; BouncyCastle checks that it lies on the curve. */
  private static ECPoint decodePoint(KeyCurve curve, byte[] encoded) {
    ECPoint point;
    try {
      point = curve.bouncyCastleCurve().decodePoint(encoded);
    } catch (IllegalArgumentException e) {
      throw new InvalidSigningKeyException("key is not a point on " + curve.curveName(), e);
    }
    if (point.isInfinity() || !point.isValid()) {
      throw new InvalidSigningKeyException("key is not a point on " + curve.curveName());
    }
    return point;
  }
}
