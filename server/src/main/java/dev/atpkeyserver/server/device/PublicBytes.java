package dev.atpkeyserver.server.device;

import dev.atpkeyserver.xrpc.ErrorKind;
import dev.atpkeyserver.xrpc.KeyserverException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Public bytes a client sent as lowercase hex: a public key or a signature. Nothing here is secret,
 * so it prints as hex.
 */
public final class PublicBytes {

  private static final HexFormat HEX = HexFormat.of();

  /** Bytes in a fingerprint: the first half of a SHA-256 digest. */
  static final int FINGERPRINT_BYTES = 16;

  private final byte[] bytes;

  private PublicBytes(byte[] bytes) {
    this.bytes = bytes;
  }

  /**
   * Parses exactly {@code length} bytes written as {@code 2 × length} lowercase hex characters.
   * Upper case is refused: the API hands keys back exactly as stored, and one spelling per key
   * keeps comparisons of keys as text meaningful.
   *
   * @param field where it is in the request, for the error message
   * @throws KeyserverException {@code BAD_REQUEST} for anything else
   */
  public static PublicBytes parseHex(String text, int length, String field) {
    if (text.length() != 2 * length || !isLowercaseHex(text)) {
      throw new KeyserverException(
          ErrorKind.BAD_REQUEST,
          "Invalid field '"
              + field
              + "': must be "
              + length
              + " bytes as "
              + 2 * length
              + " lowercase hex characters");
    }
    return new PublicBytes(HEX.parseHex(text));
  }

  /** Wraps a copy of stored bytes. */
  static PublicBytes of(byte[] bytes) {
    return new PublicBytes(bytes.clone());
  }

  private static boolean isLowercaseHex(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }

  /** A copy of the bytes. */
  public byte[] bytes() {
    return bytes.clone();
  }

  /** The bytes as lowercase hex, the form the API uses. */
  public String hex() {
    return HEX.formatHex(bytes);
  }

  /**
   * The first {@value #FINGERPRINT_BYTES} bytes of SHA-256 of these bytes, as lowercase hex: an
   * identity key's fingerprint.
   */
  public String fingerprint() {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
      return HEX.formatHex(digest, 0, FINGERPRINT_BYTES);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof PublicBytes that && Arrays.equals(bytes, that.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return hex();
  }
}
