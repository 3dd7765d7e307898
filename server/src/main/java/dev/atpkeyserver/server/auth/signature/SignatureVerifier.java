package dev.atpkeyserver.server.auth.signature;

import dev.atpkeyserver.did.AtprotoSigningKey;

/**
 * Checks an ECDSA signature over the SHA-256 of a message, as a service auth token carries it.
 *
 * <p>Every implementation gives the same answer on the same input: the signature must be the
 * 64-byte JOSE form {@code r‖s} (big-endian, 32 bytes each) with r and s in [1, n-1]; a high-S
 * signature (s &gt; n/2) is accepted, as the official service-auth verifier accepts it. Anything
 * else is false, never an exception. Implementations are thread-safe.
 */
public interface SignatureVerifier {

  /**
   * Whether {@code signature} is {@code key}'s signature of {@code signingInput}.
   *
   * @param key the signer's public key
   * @param signingInput the signed bytes; hashed with SHA-256 here
   * @param signature the signature as sent, decoded from base64url
   * @return true only for a valid 64-byte signature by this key
   * @throws IllegalArgumentException if this verifier does not serve the key's curve
   */
  boolean verify(AtprotoSigningKey key, byte[] signingInput, byte[] signature);

  /**
   * A short name for logs and health details, e.g. {@code libsecp256k1 (native)}.
   *
   * @return the backend's name
   */
  String name();
}
