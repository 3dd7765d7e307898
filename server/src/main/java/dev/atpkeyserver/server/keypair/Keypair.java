package dev.atpkeyserver.server.keypair;

import dev.atpkeyserver.server.crypto.KeyMaterial;
import java.util.HexFormat;

/**
 * A user's keypair version, private seed opened. {@link #toString()} never shows the seed.
 *
 * @param version the version served
 * @param publicKey the 32-byte Ed25519 public key
 * @param privateSeed the 32-byte private seed
 */
// Identity equality of the array component is harmless: served once, never compared or hashed.
@SuppressWarnings("ArrayRecordComponent")
public record Keypair(int version, byte[] publicKey, KeyMaterial privateSeed) {

  public Keypair {
    publicKey = publicKey.clone();
  }

  @Override
  public byte[] publicKey() {
    return publicKey.clone();
  }

  /** The public key as lower-case hex. */
  public String publicKeyHex() {
    return HexFormat.of().formatHex(publicKey);
  }

  @Override
  public String toString() {
    return "Keypair[version=" + version + ", privateSeed=redacted]";
  }
}
