package dev.atpkeyserver.did;

/**
 * Decodes multibase text: the encodings the official {@code @atproto/crypto} accepts for legacy
 * {@code publicKeyMultibase} values ({@code f F b B z m u U}). Real documents use {@code z}.
 */
final class Multibase {

  private static final String BASE16_LOWER = "0123456789abcdef";
  private static final String BASE16_UPPER = "0123456789ABCDEF";
  private static final String BASE32_LOWER = "abcdefghijklmnopqrstuvwxyz234567";
  private static final String BASE32_UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  private static final String BASE64 =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  private static final String BASE64_URL =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

  private Multibase() {}

  /**
   * Decodes multibase text to bytes.
   *
   * @throws IllegalArgumentException on an unknown prefix or invalid text
   */
  static byte[] decode(String text) {
    if (text.isEmpty()) {
      throw new IllegalArgumentException("empty multibase");
    }
    String data = text.substring(1);
    return switch (text.charAt(0)) {
      case 'z' -> Base58.decode(data);
      case 'f' -> decodeRfc4648(data, BASE16_LOWER, 4);
      case 'F' -> decodeRfc4648(data, BASE16_UPPER, 4);
      case 'b' -> decodeRfc4648(data, BASE32_LOWER, 5);
      case 'B' -> decodeRfc4648(data, BASE32_UPPER, 5);
      case 'm' -> decodeRfc4648(data, BASE64, 6);
      case 'u', 'U' -> decodeRfc4648(data, BASE64_URL, 6);
      default -> throw new IllegalArgumentException("unsupported multibase prefix");
    };
  }

  /**
   * Decodes a power-of-two RFC 4648 alphabet, ignoring trailing {@code =} padding and refusing
   * leftover bits that are not zero (so each byte string has one encoding).
   */
  private static byte[] decodeRfc4648(String data, String alphabet, int bitsPerChar) {
    int end = data.length();
    while (end > 0 && data.charAt(end - 1) == '=') {
      end--;
    }
    byte[] out = new byte[end * bitsPerChar / 8];
    int bits = 0;
    int buffer = 0;
    int written = 0;
    for (int i = 0; i < end; i++) {
      int value = alphabet.indexOf(data.charAt(i));
      if (value < 0) {
        throw new IllegalArgumentException("invalid multibase character");
      }
      // Fewer than 8 + 6 bits are ever pending, so 16 bits of buffer are enough.
      buffer = ((buffer << bitsPerChar) | value) & 0xffff;
      bits += bitsPerChar;
      if (bits >= 8) {
        bits -= 8;
        out[written++] = (byte) (buffer >>> bits);
      }
    }
    if (bits >= bitsPerChar || (buffer & ((1 << bits) - 1)) != 0) {
      throw new IllegalArgumentException("unexpected end of multibase data");
    }
    return out;
  }
}
