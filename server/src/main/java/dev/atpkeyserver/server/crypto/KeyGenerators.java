package dev.atpkeyserver.server.crypto;

import com.google.crypto.tink.AccessesPartialKey;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import com.google.crypto.tink.aead.XChaCha20Poly1305Key;
import com.google.crypto.tink.signature.Ed25519PrivateKey;
import com.google.crypto.tink.signature.PredefinedSignatureParameters;
import com.google.crypto.tink.signature.SignatureConfig;
import java.security.GeneralSecurityException;

/**
 * Fresh keys from Tink: Ed25519 keypairs for users, XChaCha20-Poly1305 keys for groups.
 *
 * <p>The keyserver stores and serves raw key bytes rather than Tink keysets, so both generators
 * read the key material out of Tink's key objects: Tink restricts that to code marked {@link
 * AccessesPartialKey}.
 */
public final class KeyGenerators {

  static {
    // Tink creates keys only for primitives registered with it.
    try {
      SignatureConfig.register();
      AeadConfig.register();
    } catch (GeneralSecurityException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private KeyGenerators() {}

  /**
   * A new Ed25519 keypair.
   *
   * @throws KeyGenerationException if the platform's randomness or crypto fails
   */
  @AccessesPartialKey
  public static Ed25519Keypair ed25519() {
    try {
      KeysetHandle handle =
          KeysetHandle.generateNew(
              PredefinedSignatureParameters.ED25519, RegistryConfiguration.get());
      Ed25519PrivateKey key = (Ed25519PrivateKey) handle.getPrimary().getKey();
      return new Ed25519Keypair(
          key.getPublicKey().getPublicKeyBytes().toByteArray(),
          KeyMaterial.of(key.getPrivateKeyBytes().toByteArray(InsecureSecretKeyAccess.get())));
    } catch (GeneralSecurityException e) {
      throw new KeyGenerationException("Ed25519 key generation failed", e);
    }
  }

  /**
   * A new 32-byte XChaCha20-Poly1305 key.
   *
   * @throws KeyGenerationException if the platform's randomness or crypto fails
   */
  @AccessesPartialKey
  public static KeyMaterial xchacha20Poly1305() {
    try {
      KeysetHandle handle =
          KeysetHandle.generateNew(
              PredefinedAeadParameters.XCHACHA20_POLY1305, RegistryConfiguration.get());
      XChaCha20Poly1305Key key = (XChaCha20Poly1305Key) handle.getPrimary().getKey();
      return KeyMaterial.of(key.getKeyBytes().toByteArray(InsecureSecretKeyAccess.get()));
    } catch (GeneralSecurityException e) {
      throw new KeyGenerationException("XChaCha20-Poly1305 key generation failed", e);
    }
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
