package dev.atpkeyserver.server.device;

import dev.atpkeyserver.xrpc.KeyserverException;

/**
 * A one-time prekey: an X25519 public key handed out by at most one claim.
 *
 * @param keyId the client's id for it, never used twice for a one-time prekey of one device
 * @param publicKey the 32-byte X25519 public key
 */
public record OneTimePreKey(KeyId keyId, PublicBytes publicKey) {

  /**
   * Parses a one-time prekey from request input.
   *
   * @param field where it is in the request ({@code oneTimePreKeys[3]}), for error messages
   * @throws KeyserverException {@code BAD_REQUEST} for an id or key of the wrong form
   */
  public static OneTimePreKey parse(String keyId, String publicKey, String field) {
    return new OneTimePreKey(
        KeyId.parse(keyId, field + ".keyId"),
        PublicBytes.parseHex(publicKey, SignedPreKey.PUBLIC_KEY_BYTES, field + ".publicKey"));
  }
}
