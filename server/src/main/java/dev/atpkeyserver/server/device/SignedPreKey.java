package dev.atpkeyserver.server.device;

import dev.atpkeyserver.server.crypto.Ed25519Signatures;
import dev.atpkeyserver.xrpc.KeyserverException;

/**
 * A prekey signed by its device's identity key: the device's signed prekey, or its last-resort key.
 * Both are X25519 public keys; the signature is Ed25519 over the key's 32 raw bytes.
 *
 * @param keyId the client's id for it
 * @param publicKey the 32-byte X25519 public key
 * @param signature the identity key's 64-byte Ed25519 signature over {@code publicKey}
 */
public record SignedPreKey(KeyId keyId, PublicBytes publicKey, PublicBytes signature) {

  /** Bytes in an X25519 public key. */
  public static final int PUBLIC_KEY_BYTES = 32;

  /**
   * Parses a signed prekey from request input; the signature is checked later, against the device's
   * identity key ({@link #isSignedBy}).
   *
   * @param field where it is in the request ({@code signedPreKey}), for error messages
   * @throws KeyserverException {@code BAD_REQUEST} for an id, key or signature of the wrong form
   */
  public static SignedPreKey parse(String keyId, String publicKey, String signature, String field) {
    return new SignedPreKey(
        KeyId.parse(keyId, field + ".keyId"),
        PublicBytes.parseHex(publicKey, PUBLIC_KEY_BYTES, field + ".publicKey"),
        PublicBytes.parseHex(signature, Ed25519Signatures.SIGNATURE_BYTES, field + ".signature"));
  }

  /** Whether {@code identityKey} made the signature over this key's 32 raw bytes. */
  boolean isSignedBy(PublicBytes identityKey) {
    return Ed25519Signatures.verify(identityKey.bytes(), publicKey.bytes(), signature.bytes());
  }
}
