package dev.atpkeyserver.xrpc;

import jakarta.json.JsonValue;

/**
 * Reads one JSON value of a given Lexicon type. Generated records provide one as their static
 * {@code fromJson(JsonValue, String)} method.
 *
 * @param <T> the Java type of the value
 */
@FunctionalInterface
public interface FieldType<T> {

  /**
   * Converts and validates one JSON value.
   *
   * @param value the JSON value, never Java {@code null} (JSON {@code null} is {@link
   *     JsonValue#NULL})
   * @param path where the value is in the body, such as {@code versions[0].status}, for error
   *     messages
   * @return the value
   * @throws KeyserverException {@link ErrorKind#BAD_REQUEST} if the value breaks a rule
   */
  T fromJson(JsonValue value, String path);
}
