package dev.atpkeyserver.server.crypto;

import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * Fresh keys: Ed25519 keypairs for users, XChaCha20-Poly1305 keys for groups. Both are random bytes
 * from the platform's {@link SecureRandom}, as Tink makes them; an Ed25519 public key is derived
 * from its seed with BouncyCastle's RFC 8032 implementation (constant time in the secret), one
 * fixed-base scalar multiplication. Tink's key creation did three: deriving the key, then twice
 * more checking that the public key it had just derived matches the seed.
 */
public final class KeyGenerators {

  /** Length of an Ed25519 private seed, of its public key, and of an XChaCha20-Poly1305 key. */
  static final int KEY_BYTES = 32;

  private static final SecureRandom RANDOM = new SecureRandom();

  private KeyGenerators() {}

  /**
   * A new Ed25519 keypair.
   *
   * @throws KeyGenerationException if the platform's randomness fails
   */
  public static Ed25519Keypair ed25519() {
    byte[] seed = randomBytes(KEY_BYTES);
    try {
      return ed25519(seed);
    } finally {
      Arrays.fill(seed, (byte) 0);
    }
  }

  /** The Ed25519 keypair of a 32-byte private seed (RFC 8032, section 5.1.5). */
  static Ed25519Keypair ed25519(byte[] seed) {
    byte[] publicKey = new byte[Ed25519.PUBLIC_KEY_SIZE];
    Ed25519.generatePublicKey(seed, 0, publicKey, 0);
    return new Ed25519Keypair(publicKey, KeyMaterial.of(seed));
  }

  /**
   * A new 32-byte XChaCha20-Poly1305 key.
   *
   * @throws KeyGenerationException if the platform's randomness fails
   */
  public static KeyMaterial xchacha20Poly1305() {
    byte[] key = randomBytes(KEY_BYTES);
    try {
      return KeyMaterial.of(key);
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  private static byte[] randomBytes(int length) {
    byte[] bytes = new byte[length];
    try {
      RANDOM.nextBytes(bytes);
    } catch (RuntimeException e) {
      throw new KeyGenerationException("The platform's random number generator failed", e);
    }
    return bytes;
  }

  /**
   * An Ed25519 keypair.
   *
   * @param publicKey the 32-byte public key
   * @param privateSeed the 32-byte private seed
   */
  // Identity equality of the array component is harmless: handed straight to storage, never
  // compared or hashed.
  @SuppressWarnings("ArrayRecordComponent")
  public record Ed25519Keypair(byte[] publicKey, KeyMaterial privateSeed) {
    public Ed25519Keypair {
      publicKey = publicKey.clone();
    }

    @Override
    public byte[] publicKey() {
      return publicKey.clone();
    }
  }

  /** Key generation failed: a platform fault, answered with a 500. */
  public static final class KeyGenerationException extends RuntimeException {
    KeyGenerationException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
