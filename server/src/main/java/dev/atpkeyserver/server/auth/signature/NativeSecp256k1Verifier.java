package dev.atpkeyserver.server.auth.signature;

import dev.atpkeyserver.did.AtprotoSigningKey;
import dev.atpkeyserver.did.KeyCurve;
import fr.acinq.secp256k1.Secp256k1;
import fr.acinq.secp256k1.Secp256k1Exception;

/**
 * ES256K through libsecp256k1 (Bitcoin Core's library, via ACINQ's JNI bindings): about three times
 * BouncyCastle's rate on one core (docs/benchmarks.md).
 *
 * <p>libsecp256k1 verifies only low-S signatures, while the official service-auth verifier accepts
 * high-S ones too, so s is normalised to n - s first. That is the same signature for ECDSA's
 * purposes: (r, s) verifies exactly when (r, n - s) does.
 */
public final class NativeSecp256k1Verifier implements SignatureVerifier {

  static final String NAME = "libsecp256k1 (native)";

  private static final CurveOrder ORDER = CurveOrder.of(KeyCurve.SECP256K1);

  private final Secp256k1 library;

  /**
   * Each key's uncompressed 65-byte form: handed a compressed key, libsecp256k1 would compute the
   * square root for y on every call, about an eighth of a verification.
   */
  private final ParsedKeys<byte[]> uncompressed;

  /**
   * @param library the loaded native library ({@link SignatureBackends} loads it)
   */
  public NativeSecp256k1Verifier(Secp256k1 library) {
    this.library = library;
    this.uncompressed = new ParsedKeys<>(key -> library.pubkeyParse(key.compressedPoint()));
  }

  @Override
  public boolean verify(AtprotoSigningKey key, byte[] signingInput, byte[] signature) {
    if (key.curve() != KeyCurve.SECP256K1) {
      throw new IllegalArgumentException("libsecp256k1 verifies secp256k1 keys only");
    }
    if (!ORDER.isCompactSignature(signature)) {
      return false;
    }
    try {
      return library.verify(
          ORDER.withLowS(signature), Sha256.digest(signingInput), uncompressed.get(key));
    } catch (Secp256k1Exception e) {
      // A signature or key the library could not parse; the checks above and AtprotoSigningKey's
      // leave none we know of.
      return false;
    }
  }

  @Override
  public String name() {
    return NAME;
  }
}
