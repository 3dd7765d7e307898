package dev.atpkeyserver.server.crypto;

import com.google.crypto.tink.subtle.Ed25519Verify;
import java.security.GeneralSecurityException;

/**
 * Checks Ed25519 signatures made by clients' device identity keys (RFC 8032, through Tink): the
 * keyserver verifies every signed prekey before storing it, so a bundle never carries a signature
 * its identity key did not make.
 */
public final class Ed25519Signatures {

  /** Bytes in an Ed25519 public key. */
  public static final int PUBLIC_KEY_BYTES = 32;

  /** Bytes in an Ed25519 signature. */
  public static final int SIGNATURE_BYTES = 64;

  private Ed25519Signatures() {}

  /**
   * Whether {@code signature} is {@code publicKey}'s signature over {@code message}. False for a
   * wrong signature, a non-canonical one (S not below the group order), or a public key that is not
   * a valid curve point: none of them can come from an honest client.
   *
   * @param publicKey a 32-byte Ed25519 public key
   * @param message the signed bytes
   * @param signature a 64-byte signature
   */
  public static boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
    if (publicKey.length != PUBLIC_KEY_BYTES || signature.length != SIGNATURE_BYTES) {
      return false;
    }
    try {
      new Ed25519Verify(publicKey).verify(signature, message);
      return true;
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }
}
