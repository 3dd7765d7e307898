package dev.atpkeyserver.server.device;

import dev.atpkeyserver.xrpc.ErrorKind;
import dev.atpkeyserver.xrpc.KeyserverException;
import java.util.regex.Pattern;

/**
 * A client's id for one of a device's prekeys: 1 to {@value #MAX_LENGTH} characters of {@code A-Z
 * a-z 0-9 . _ : -}.
 *
 * @param value the id
 */
public record KeyId(String value) {

  /** Longest id accepted, for key ids and device ids alike. */
  public static final int MAX_LENGTH = 64;

  /** The syntax of key ids and device ids. */
  static final Pattern SYNTAX = Pattern.compile("[A-Za-z0-9._:-]{1," + MAX_LENGTH + "}");

  /** What {@link #SYNTAX} allows, as error messages say it. */
  static final String SYNTAX_TEXT = "1 to " + MAX_LENGTH + " characters of A-Z a-z 0-9 . _ : -";

  /**
   * Parses a key id from request input.
   *
   * @param field where it is in the request, for the error message
   * @throws KeyserverException {@code BAD_REQUEST} when it breaks the syntax
   */
  public static KeyId parse(String text, String field) {
    return new KeyId(checked(text, field));
  }

  /** {@code text} if it matches {@link #SYNTAX}, else a 400 naming {@code field}. */
  static String checked(String text, String field) {
    if (!SYNTAX.matcher(text).matches()) {
      throw new KeyserverException(
          ErrorKind.BAD_REQUEST, "Invalid field '" + field + "': must be " + SYNTAX_TEXT);
    }
    return text;
  }

  @Override
  public String toString() {
    return value;
  }
}
