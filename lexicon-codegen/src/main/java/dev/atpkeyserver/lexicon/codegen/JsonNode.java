package dev.atpkeyserver.lexicon.codegen;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A JSON value in a lexicon file together with where it is, so every failure can name the file and
 * the JSON path. Accessors check types and fail with a {@link LexiconException}.
 */
final class JsonNode {

  private static final Pattern SIMPLE_KEY = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*");

  private final String file;
  private final String path;
  private final JsonValue value;

  JsonNode(String file, String path, JsonValue value) {
    this.file = file;
    this.path = path;
    this.value = value;
  }

  String file() {
    return file;
  }

  String path() {
    return path;
  }

  JsonValue value() {
    return value;
  }

  LexiconException fail(String reason) {
    return new LexiconException(file, path, reason);
  }

  JsonObject object() {
    if (!(value instanceof JsonObject object)) {
      throw fail("expected an object");
    }
    return object;
  }

  /** Fails on any key outside {@code allowed}, so a misspelt key is not silently ignored. */
  void allowKeys(Set<String> allowed) {
    for (String key : object().keySet()) {
      if (!allowed.contains(key)) {
        throw fail("unknown key '" + key + "'");
      }
    }
  }

  /**
   * Fails if any of the keys is present: valid Lexicon, but outside what the generator supports.
   */
  void unsupportedKeys(String... keys) {
    for (String key : keys) {
      if (object().containsKey(key)) {
        throw fail("'" + key + "' is not supported by lexicon-codegen");
      }
    }
  }

  boolean has(String key) {
    return object().containsKey(key);
  }

  JsonNode get(String key) {
    JsonValue child = object().get(key);
    if (child == null) {
      throw fail("missing '" + key + "'");
    }
    return new JsonNode(file, childPath(key), child);
  }

  Optional<JsonNode> optional(String key) {
    return has(key) ? Optional.of(get(key)) : Optional.empty();
  }

  List<JsonNode> items() {
    if (!(value instanceof JsonArray array)) {
      throw fail("expected an array");
    }
    List<JsonNode> items = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      items.add(new JsonNode(file, path + "[" + i + "]", array.get(i)));
    }
    return items;
  }

  List<JsonNode> entries() {
    List<JsonNode> entries = new ArrayList<>();
    for (String key : object().keySet()) {
      entries.add(get(key));
    }
    return entries;
  }

  /** The key this node has in its parent object. */
  String key() {
    if (path.endsWith("']")) {
      return path.substring(path.lastIndexOf("['") + 2, path.length() - 2).replace("\\'", "'");
    }
    return path.substring(path.lastIndexOf('.') + 1);
  }

  String string() {
    if (!(value instanceof JsonString s)) {
      throw fail("expected a string");
    }
    return s.getString();
  }

  Optional<String> optionalString(String key) {
    return optional(key).map(JsonNode::string);
  }

  long integer() {
    if (!(value instanceof JsonNumber n)) {
      throw fail("expected an integer");
    }
    try {
      BigDecimal decimal = n.bigDecimalValue();
      if (decimal.precision() - decimal.scale() > 19) {
        throw fail("integer out of range");
      }
      return decimal.longValueExact();
    } catch (ArithmeticException e) {
      throw fail("expected an integer");
    }
  }

  OptionalLong optionalInteger(String key) {
    return has(key) ? OptionalLong.of(get(key).integer()) : OptionalLong.empty();
  }

  OptionalInt optionalLength(String key) {
    if (!has(key)) {
      return OptionalInt.empty();
    }
    JsonNode node = get(key);
    long length = node.integer();
    if (length < 0 || length > Integer.MAX_VALUE) {
      throw node.fail("must be between 0 and " + Integer.MAX_VALUE);
    }
    return OptionalInt.of((int) length);
  }

  boolean bool() {
    return switch (value.getValueType()) {
      case TRUE -> true;
      case FALSE -> false;
      default -> throw fail("expected a boolean");
    };
  }

  Optional<Boolean> optionalBool(String key) {
    return optional(key).map(JsonNode::bool);
  }

  /** A list of distinct strings. */
  List<String> strings() {
    Set<String> seen = new LinkedHashSet<>();
    for (JsonNode item : items()) {
      if (!seen.add(item.string())) {
        throw item.fail("duplicate value '" + item.string() + "'");
      }
    }
    return List.copyOf(seen);
  }

  List<String> optionalStrings(String key) {
    return has(key) ? get(key).strings() : List.of();
  }

  private String childPath(String key) {
    if (SIMPLE_KEY.matcher(key).matches()) {
      return path + "." + key;
    }
    return path + "['" + key.replace("'", "\\'") + "']";
  }
}
