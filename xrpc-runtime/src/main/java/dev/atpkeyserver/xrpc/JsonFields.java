package dev.atpkeyserver.xrpc;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads the members of one JSON object with Lexicon rules. Generated {@code fromJson} methods use
 * it. Members the lexicon does not declare are ignored, as the Lexicon language requires for
 * forward compatibility.
 *
 * <p>Required and nullable are independent, as in Lexicon: a required member must be present, and
 * only a nullable member may be JSON {@code null}.
 */
public final class JsonFields {

  private final JsonObject object;
  private final String path;

  private JsonFields(JsonObject object, String path) {
    this.object = object;
    this.path = path;
  }

  /**
   * Wraps a JSON value that must be an object.
   *
   * @param value the value
   * @param path where the object is in the body, empty for the body itself
   * @return a reader over its members
   * @throws KeyserverException 400 if the value is not an object
   */
  public static JsonFields of(JsonValue value, String path) {
    Objects.requireNonNull(path, "path");
    if (!(value instanceof JsonObject object)) {
      throw path.isEmpty()
          ? new KeyserverException(ErrorKind.BAD_REQUEST, JsonBodies.MALFORMED)
          : Where.FIELD.invalid(path, "must be an object");
    }
    return new JsonFields(object, path);
  }

  /**
   * Reads a Lexicon {@code unknown}: any JSON object, kept as it is.
   *
   * @param value the value
   * @param path where it is in the body
   * @return the object
   * @throws KeyserverException 400 if the value is not an object
   */
  public static JsonObject unknownObject(JsonValue value, String path) {
    if (!(value instanceof JsonObject object)) {
      throw Where.FIELD.invalid(path, "must be an object");
    }
    return object;
  }

  /**
   * A member that must be present and not null.
   *
   * @param name the member name
   * @param type its type and rules
   * @param <T> the Java type
   * @return the value
   * @throws KeyserverException 400 if it is missing, null or invalid
   */
  public <T> T required(String name, FieldType<T> type) {
    return optional(name, type).orElseThrow(() -> Where.FIELD.missing(pathOf(name)));
  }

  /**
   * A member that may be absent but not null.
   *
   * @param name the member name
   * @param type its type and rules
   * @param <T> the Java type
   * @return the value, or empty if absent
   * @throws KeyserverException 400 if it is null or invalid
   */
  public <T> Optional<T> optional(String name, FieldType<T> type) {
    JsonValue value = object.get(name);
    if (value == null) {
      return Optional.empty();
    }
    if (value.getValueType() == JsonValue.ValueType.NULL) {
      throw Where.FIELD.invalid(pathOf(name), "must not be null");
    }
    return Optional.of(type.fromJson(value, pathOf(name)));
  }

  /**
   * A nullable member that must be present (possibly as null).
   *
   * @param name the member name
   * @param type its type and rules
   * @param <T> the Java type
   * @return the value, or empty if null
   * @throws KeyserverException 400 if it is missing or invalid
   */
  public <T> Optional<T> requiredNullable(String name, FieldType<T> type) {
    if (!object.containsKey(name)) {
      throw Where.FIELD.missing(pathOf(name));
    }
    return optionalNullable(name, type);
  }

  /**
   * A nullable member that may also be absent.
   *
   * @param name the member name
   * @param type its type and rules
   * @param <T> the Java type
   * @return the value, or empty if absent or null
   * @throws KeyserverException 400 if it is invalid
   */
  public <T> Optional<T> optionalNullable(String name, FieldType<T> type) {
    JsonValue value = object.get(name);
    if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
      return Optional.empty();
    }
    return Optional.of(type.fromJson(value, pathOf(name)));
  }

  private String pathOf(String name) {
    return path.isEmpty() ? name : path + "." + name;
  }
}
