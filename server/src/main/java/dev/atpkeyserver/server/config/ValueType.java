package dev.atpkeyserver.server.config;

import dev.atpkeyserver.did.Did;
import dev.atpkeyserver.did.MalformedDidException;
import io.helidon.config.Config;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * How a setting's value is read, and what the configuration reference calls its type.
 *
 * <p>Configured values are read through Helidon's own mappers ({@code asInt}, {@code
 * as(Duration.class)}, ...), so a malformed value fails exactly as Helidon reports it. Defaults are
 * declared as the text an operator would write and converted by {@link #parse}; {@code
 * ConfigReferenceTest} checks that each default text, given as configuration, reads back as the
 * same value.
 *
 * @param <T> the value's Java type
 */
final class ValueType<T> {

  /** Reads a value from its node; empty when the node is absent. */
  @FunctionalInterface
  interface Reader<T> {
    Optional<T> read(String key, Config node);
  }

  /** Converts a default's text; the key names the setting in error messages. */
  @FunctionalInterface
  interface Parser<T> {
    T parse(String key, String text);
  }

  static final ValueType<Integer> INTEGER =
      new ValueType<>(
          "integer",
          (key, node) -> node.asInt().asOptional(),
          (key, text) -> Integer.valueOf(text));

  static final ValueType<Long> LONG =
      new ValueType<>(
          "integer", (key, node) -> node.asLong().asOptional(), (key, text) -> Long.valueOf(text));

  static final ValueType<Boolean> BOOLEAN =
      new ValueType<>(
          "boolean",
          (key, node) -> node.asBoolean().asOptional(),
          (key, text) -> Boolean.valueOf(text));

  static final ValueType<Duration> DURATION =
      new ValueType<>(
          "duration",
          (key, node) -> node.as(Duration.class).asOptional(),
          (key, text) -> Duration.parse(text));

  static final ValueType<String> STRING =
      new ValueType<>("string", (key, node) -> node.asString().asOptional(), (key, text) -> text);

  static final ValueType<Path> PATH =
      new ValueType<>(
          "path",
          (key, node) -> node.asString().asOptional().map(Path::of),
          (key, text) -> Path.of(text));

  /** An absolute http or https URL. */
  static final ValueType<URI> HTTP_URL =
      new ValueType<>(
          "URL",
          (key, node) -> node.asString().asOptional().map(text -> httpUrl(key, text)),
          ValueType::httpUrl);

  /** A syntactically valid DID, in its canonical form. */
  static final ValueType<String> DID =
      new ValueType<>(
          "DID",
          (key, node) -> node.asString().asOptional().map(text -> checkedDid(key, text)),
          ValueType::checkedDid);

  /**
   * A list of strings: a YAML sequence, or one comma-separated value as a system property or
   * environment variable can only give. Absent is the empty list.
   */
  static final ValueType<List<String>> LIST =
      new ValueType<>(
          "list",
          (key, node) -> node.exists() ? Optional.of(splitList(node)) : Optional.empty(),
          (key, text) -> commaSeparated(text));

  private final String name;
  private final Reader<T> reader;
  private final Parser<T> parser;

  private ValueType(String name, Reader<T> reader, Parser<T> parser) {
    this.name = name;
    this.reader = reader;
    this.parser = parser;
  }

  /** The type's name in the configuration reference. */
  String name() {
    return name;
  }

  /** The value configured at {@code node}, if any. */
  Optional<T> read(String key, Config node) {
    return reader.read(key, node);
  }

  /** The value a default's text stands for. */
  T parse(String key, String text) {
    return parser.parse(key, text);
  }

  /**
   * This type, with an empty or blank value treated as unset: an environment file may carry {@code
   * KEYSERVER_DB_URL=} to mean "none", and an empty master-key variable must not count as a key.
   */
  ValueType<T> blankMeansUnset() {
    return new ValueType<>(
        name,
        (key, node) ->
            node.asString().asOptional().filter(text -> !text.isBlank()).isPresent()
                ? reader.read(key, node)
                : Optional.empty(),
        parser);
  }

  private static List<String> splitList(Config node) {
    if (node.isList()) {
      return node.asList(String.class).orElse(List.of());
    }
    return node.asString().map(ValueType::commaSeparated).orElse(List.of());
  }

  private static List<String> commaSeparated(String value) {
    return Arrays.stream(value.split(",")).map(String::strip).filter(v -> !v.isEmpty()).toList();
  }

  private static String checkedDid(String key, String value) {
    try {
      return Did.parse(value).toString();
    } catch (MalformedDidException e) {
      throw new IllegalStateException(key + " is not a valid DID: " + value, e);
    }
  }

  private static URI httpUrl(String key, String value) {
    URI uri;
    try {
      uri = URI.create(value.strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(key + " is not a valid URL: " + value, e);
    }
    if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
        || uri.getHost() == null) {
      throw new IllegalStateException(key + " must be an absolute http(s) URL: " + value);
    }
    return uri;
  }
}
