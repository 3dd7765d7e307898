package dev.atpkeyserver.server.keypair;

import java.util.HexFormat;

/**
 * One version of a user's public key. Public keys are public, so this record may be printed.
 *
 * @param did the user
 * @param version the key version
 * @param publicKey the 32-byte Ed25519 public key
 */
// Identity equality of the array component is harmless: served once, never compared or hashed.
@SuppressWarnings("ArrayRecordComponent")
public record PublicKeyVersion(String did, int version, byte[] publicKey) {

  public PublicKeyVersion {
    publicKey = publicKey.clone();
  }

  @Override
  public byte[] publicKey() {
    return publicKey.clone();
  }

  /** The key as lower-case hex, as the API returns it. */
  public String publicKeyHex() {
    return HexFormat.of().formatHex(publicKey);
  }
}
