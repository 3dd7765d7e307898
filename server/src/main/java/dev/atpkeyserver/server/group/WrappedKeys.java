package dev.atpkeyserver.server.group;

import dev.atpkeyserver.xrpc.ErrorKind;
import dev.atpkeyserver.xrpc.KeyserverException;
import java.util.Base64;
import java.util.regex.Pattern;

/** The forms and bounds of client-wrapped group keys, checked before anything is stored. */
public final class WrappedKeys {

  /** Most copies one {@code group.putWrappedKeys} call stores. */
  public static final int MAX_PER_CALL = 1000;

  /** Largest decoded ciphertext of one copy. */
  public static final int MAX_CIPHERTEXT_BYTES = 4096;

  // Rocket.Chat's key ids are a prefix of a base64 digest, hence + / =.
  private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9+/=._~-]{1,64}");
  private static final Pattern DEVICE_ID = Pattern.compile("[A-Za-z0-9._~:-]{1,128}");
  private static final Base64.Decoder DECODER = Base64.getDecoder();
  private static final Base64.Encoder ENCODER = Base64.getEncoder();

  private WrappedKeys() {}

  /**
   * Checks a key id.
   *
   * @throws KeyserverException {@code BAD_REQUEST} unless 1 to 64 characters of {@code A-Z a-z 0-9
   *     + / = . _ ~ -}
   */
  public static String keyId(String keyId, String field) {
    if (!KEY_ID.matcher(keyId).matches()) {
      throw invalid(field, "must be 1 to 64 characters of A-Z a-z 0-9 + / = . _ ~ -");
    }
    return keyId;
  }

  /**
   * Checks a device id.
   *
   * @throws KeyserverException {@code BAD_REQUEST} unless 1 to 128 characters of {@code A-Z a-z 0-9
   *     . _ ~ : -}
   */
  public static String deviceId(String deviceId, String field) {
    if (!DEVICE_ID.matcher(deviceId).matches()) {
      throw invalid(field, "must be 1 to 128 characters of A-Z a-z 0-9 . _ ~ : -");
    }
    return deviceId;
  }

  /**
   * The decoded ciphertext.
   *
   * @throws KeyserverException {@code BAD_REQUEST} unless standard base64 with padding of 1 to
   *     {@value #MAX_CIPHERTEXT_BYTES} bytes
   */
  public static byte[] ciphertext(String base64, String field) {
    byte[] bytes;
    try {
      bytes = DECODER.decode(base64);
    } catch (IllegalArgumentException e) {
      throw invalid(field, "must be standard base64 with padding");
    }
    if (!ENCODER.encodeToString(bytes).equals(base64)) {
      throw invalid(field, "must be standard base64 with padding");
    }
    if (bytes.length < 1 || bytes.length > MAX_CIPHERTEXT_BYTES) {
      throw invalid(field, "must be 1 to " + MAX_CIPHERTEXT_BYTES + " bytes decoded");
    }
    return bytes;
  }

  /** The ciphertext as it was put. */
  public static String encode(byte[] ciphertext) {
    return ENCODER.encodeToString(ciphertext);
  }

  static KeyserverException invalid(String field, String why) {
    return new KeyserverException(ErrorKind.BAD_REQUEST, "Invalid field '" + field + "': " + why);
  }
}
