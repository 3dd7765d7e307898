package dev.atpkeyserver.server.auth.signature;

import dev.atpkeyserver.did.AtprotoSigningKey;
import dev.atpkeyserver.did.KeyCurve;
import java.math.BigInteger;
import java.util.EnumMap;
import java.util.Map;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;

/**
 * ECDSA on both curves with BouncyCastle's lightweight API: its {@link ECDSASigner} on the
 * curve-specific field arithmetic of {@link CustomNamedCurves}, with each key's decoded point kept
 * (BouncyCastle also keeps its precomputed multiples on the point, so a cached key verifies
 * faster). No JCA provider, no DER transcoding. Pure Java, so always available: the fallback for
 * ES256K when libsecp256k1 cannot load.
 */
public final class BouncyCastleVerifier implements SignatureVerifier {

  static final String NAME = "BouncyCastle";

  private final Map<KeyCurve, ECDomainParameters> domains = new EnumMap<>(KeyCurve.class);
  private final ParsedKeys<ECPublicKeyParameters> keys = new ParsedKeys<>(this::parse);

  /** A verifier for both curves. */
  public BouncyCastleVerifier() {
    for (KeyCurve curve : KeyCurve.values()) {
      X9ECParameters parameters = CustomNamedCurves.getByName(curve.curveName());
      domains.put(curve, new ECDomainParameters(parameters));
    }
  }

  @Override
  public boolean verify(AtprotoSigningKey key, byte[] signingInput, byte[] signature) {
    if (!CurveOrder.of(key.curve()).isCompactSignature(signature)) {
      return false;
    }
    BigInteger r = new BigInteger(1, signature, 0, 32);
    BigInteger s = new BigInteger(1, signature, 32, 32);
    ECDSASigner signer = new ECDSASigner();
    signer.init(false, keys.get(key));
    return signer.verifySignature(Sha256.digest(signingInput), r, s);
  }

  @Override
  public String name() {
    return NAME;
  }

  private ECPublicKeyParameters parse(AtprotoSigningKey key) {
    ECDomainParameters domain = domains.get(key.curve());
    // AtprotoSigningKey checked on construction that the point is on the curve.
    return new ECPublicKeyParameters(domain.getCurve().decodePoint(key.compressedPoint()), domain);
  }
}
