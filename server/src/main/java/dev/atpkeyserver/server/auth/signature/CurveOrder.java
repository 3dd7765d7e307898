package dev.atpkeyserver.server.auth.signature;

import dev.atpkeyserver.did.KeyCurve;
import java.math.BigInteger;
import java.util.Arrays;
import org.bouncycastle.crypto.ec.CustomNamedCurves;

/**
 * The order n of a curve's base point and the checks of a compact {@code r‖s} signature that depend
 * on it. Every backend runs them first, so none can accept a signature another refuses for its
 * shape: a 63- or 65-byte signature, or r or s equal to 0 or at least n (the "psychic signature"
 * class of bugs), is refused before any curve arithmetic.
 */
final class CurveOrder {

  /** Bytes of r‖s: two 32-byte big-endian scalars. */
  static final int SIGNATURE_LENGTH = 64;

  private static final int SCALAR_LENGTH = 32;

  private static final CurveOrder SECP256K1 = new CurveOrder(KeyCurve.SECP256K1);
  private static final CurveOrder P256 = new CurveOrder(KeyCurve.P256);

  private final BigInteger n;
  private final byte[] nBytes;
  private final byte[] halfNBytes;

  private CurveOrder(KeyCurve curve) {
    this.n = CustomNamedCurves.getByName(curve.curveName()).getN();
    this.nBytes = scalarBytes(n);
    this.halfNBytes = scalarBytes(n.shiftRight(1));
  }

  static CurveOrder of(KeyCurve curve) {
    return switch (curve) {
      case SECP256K1 -> SECP256K1;
      case P256 -> P256;
    };
  }

  /** Whether {@code signature} is 64 bytes with r and s in [1, n-1]. */
  boolean isCompactSignature(byte[] signature) {
    return signature.length == SIGNATURE_LENGTH
        && isScalar(signature, 0)
        && isScalar(signature, SCALAR_LENGTH);
  }

  /**
   * The same signature with s replaced by n - s when s &gt; n/2. (r, s) and (r, n - s) are both
   * valid for the same message and key; libsecp256k1 verifies only the low-S one.
   *
   * @param signature a signature {@link #isCompactSignature} accepted
   * @return {@code signature} itself when s is already low, else a normalised copy
   */
  byte[] withLowS(byte[] signature) {
    if (Arrays.compareUnsigned(
            signature, SCALAR_LENGTH, SIGNATURE_LENGTH, halfNBytes, 0, SCALAR_LENGTH)
        <= 0) {
      return signature;
    }
    return withNegatedS(signature);
  }

  /**
   * The signature's twin (r, n - s): valid exactly when the original is.
   *
   * @param signature a signature {@link #isCompactSignature} accepted
   * @return a new array
   */
  byte[] withNegatedS(byte[] signature) {
    BigInteger s = new BigInteger(1, signature, SCALAR_LENGTH, SCALAR_LENGTH);
    byte[] twin = Arrays.copyOf(signature, SIGNATURE_LENGTH);
    System.arraycopy(scalarBytes(n.subtract(s)), 0, twin, SCALAR_LENGTH, SCALAR_LENGTH);
    return twin;
  }

  /** The 32-byte big-endian value at {@code offset} is in [1, n-1]. */
  private boolean isScalar(byte[] signature, int offset) {
    boolean zero = true;
    for (int i = offset; i < offset + SCALAR_LENGTH; i++) {
      zero &= signature[i] == 0;
    }
    return !zero
        && Arrays.compareUnsigned(
                signature, offset, offset + SCALAR_LENGTH, nBytes, 0, SCALAR_LENGTH)
            < 0;
  }

  /** {@code value} (0 ≤ value &lt; 2^256) as exactly 32 big-endian bytes. */
  private static byte[] scalarBytes(BigInteger value) {
    byte[] bytes = value.toByteArray();
    byte[] fixed = new byte[SCALAR_LENGTH];
    int length = Math.min(bytes.length, SCALAR_LENGTH);
    System.arraycopy(bytes, bytes.length - length, fixed, SCALAR_LENGTH - length, length);
    return fixed;
  }
}
