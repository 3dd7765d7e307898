package dev.atpkeyserver.server.auth.signature;

import dev.atpkeyserver.did.AtprotoSigningKey;
import dev.atpkeyserver.did.KeyCurve;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Security;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPublicKeySpec;

/**
 * ES256 through the JDK's own SunEC provider ({@code SHA256withECDSAinP1363Format}, which takes the
 * JOSE {@code r‖s} form as is), with each key converted once. Not a server backend: measured at
 * about a sixth of {@link BouncyCastleVerifier}'s rate on JDK 25 (docs/benchmarks.md). Kept for the
 * throughput harness and as a third, independent implementation the tests compare with.
 */
public final class JdkP256Verifier implements SignatureVerifier {

  static final String NAME = "JDK SunEC";

  private static final CurveOrder ORDER = CurveOrder.of(KeyCurve.P256);
  private static final String ALGORITHM = "SHA256withECDSAinP1363Format";

  private final Provider sunEc;
  private final ECParameterSpec p256;
  private final ParsedKeys<PublicKey> keys = new ParsedKeys<>(this::parse);

  /**
   * @throws IllegalStateException if this JDK has no SunEC provider with P-256
   */
  public JdkP256Verifier() {
    sunEc = Security.getProvider("SunEC");
    if (sunEc == null) {
      throw new IllegalStateException("this JDK has no SunEC provider");
    }
    try {
      AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC", sunEc);
      parameters.init(new ECGenParameterSpec("secp256r1"));
      p256 = parameters.getParameterSpec(ECParameterSpec.class);
      Signature.getInstance(ALGORITHM, sunEc);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SunEC cannot verify P-256 signatures", e);
    }
  }

  @Override
  public boolean verify(AtprotoSigningKey key, byte[] signingInput, byte[] signature) {
    if (key.curve() != KeyCurve.P256) {
      throw new IllegalArgumentException("this verifier serves P-256 keys only");
    }
    if (!ORDER.isCompactSignature(signature)) {
      return false;
    }
    try {
      Signature verifier = Signature.getInstance(ALGORITHM, sunEc);
      verifier.initVerify(keys.get(key));
      verifier.update(signingInput);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  @Override
  public String name() {
    return NAME;
  }

  private PublicKey parse(AtprotoSigningKey key) {
    try {
      return KeyFactory.getInstance("EC", sunEc)
          .generatePublic(new ECPublicKeySpec(key.toEcPublicKey().getW(), p256));
    } catch (GeneralSecurityException e) {
      // The point was validated on construction; SunEC refusing it means a broken JDK.
      throw new IllegalStateException("SunEC refused a P-256 point", e);
    }
  }
}
