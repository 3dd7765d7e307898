package dev.atpkeyserver.server.crypto;

import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Secret key bytes (a private seed or a group key). It never prints its contents: {@link
 * #toString()} is redacted so a log line or an exception message cannot leak a key.
 */
public final class KeyMaterial {

  private final byte[] bytes;

  private KeyMaterial(byte[] bytes) {
    this.bytes = bytes;
  }

  /** Wraps a copy of {@code bytes}. */
  public static KeyMaterial of(byte[] bytes) {
    return new KeyMaterial(bytes.clone());
  }

  /** A copy of the secret bytes. */
  public byte[] bytes() {
    return bytes.clone();
  }

  /** The secret as lower-case hex, the form the API returns it in. */
  public String hex() {
    return HexFormat.of().formatHex(bytes);
  }

  /** Number of bytes. */
  public int length() {
    return bytes.length;
  }

  @Override
  public boolean equals(Object other) {
    // Constant time, so comparing keys in tests or code never becomes a timing oracle.
    return other instanceof KeyMaterial that && MessageDigest.isEqual(bytes, that.bytes);
  }

  @Override
  public int hashCode() {
    return bytes.length;
  }

  @Override
  public String toString() {
    return "KeyMaterial[" + bytes.length + " bytes, redacted]";
  }
}
