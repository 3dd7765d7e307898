package dev.atpkeyserver.server.config;

import io.helidon.config.Config;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One setting an operator may give the keyserver: its configuration key, the environment variable
 * that sets it, its type, its default and what it does. Every setting is declared once, in {@link
 * Settings}; {@link ConfigLoader} maps the environment from the declarations, {@link
 * KeyserverConfig} reads through them, and the reference table in {@code docs/operations.md} is
 * checked against {@link #referenceRow()}.
 *
 * @param <T> the value's type; {@code Optional<...>} for a setting whose absence has a meaning of
 *     its own (derived from other settings, or "none") rather than a default value
 */
public final class Setting<T> {

  private final String key;
  private final String typeName;
  private final ValueType.Reader<T> reader;
  private final T defaultValue;
  private final Optional<String> defaultText;
  private final String documentedDefault;
  private final String description;

  private Setting(
      String key,
      String typeName,
      ValueType.Reader<T> reader,
      T defaultValue,
      Optional<String> defaultText,
      String documentedDefault,
      String description) {
    this.key = Objects.requireNonNull(key, "key");
    this.typeName = typeName;
    this.reader = reader;
    this.defaultValue = Objects.requireNonNull(defaultValue, "defaultValue");
    this.defaultText = defaultText;
    this.documentedDefault = documentedDefault;
    this.description = description;
  }

  /**
   * A setting with a fixed default, written as an operator would write it ({@code "PT5S"}); the
   * reference shows that text. An empty default (an empty list) is shown as "none".
   */
  static <T> Setting<T> withDefault(
      String key, ValueType<T> type, String defaultText, String description) {
    return new Setting<>(
        key,
        type.name(),
        type::read,
        type.parse(key, defaultText),
        Optional.of(defaultText),
        defaultText.isEmpty() ? "none" : "`" + defaultText + "`",
        description);
  }

  /**
   * A setting without a default value; {@code whenUnset} tells the reader of the reference what its
   * absence means.
   */
  static <T> Setting<Optional<T>> optional(
      String key, ValueType<T> type, String whenUnset, String description) {
    return new Setting<>(
        key,
        type.name(),
        (k, node) -> Optional.of(type.read(k, node)),
        Optional.empty(),
        Optional.empty(),
        whenUnset,
        description);
  }

  /** The configuration key, e.g. {@code keyserver.plc-url}. */
  public String key() {
    return key;
  }

  /**
   * The environment variable that sets it: the key in upper case with {@code .} and {@code -}
   * replaced by {@code _}, e.g. {@code KEYSERVER_PLC_URL}.
   */
  public String environmentVariable() {
    return environmentName(key);
  }

  /** The type's name in the reference, e.g. {@code duration}. */
  public String typeName() {
    return typeName;
  }

  /** The value when nothing sets it ({@link Optional#empty()} for an optional setting). */
  public T defaultValue() {
    return defaultValue;
  }

  /**
   * The default as an operator would write it, for a setting with a fixed default; empty for an
   * optional one.
   */
  public Optional<String> defaultText() {
    return defaultText;
  }

  /** What the reference says when nothing sets it: the default in backticks, or prose. */
  public String documentedDefault() {
    return documentedDefault;
  }

  /** What it does, one line of Markdown. */
  public String description() {
    return description;
  }

  /**
   * The configured value under {@code root}, or the default.
   *
   * @throws RuntimeException Helidon's mapping exception, or {@link IllegalStateException} naming
   *     the key, when the configured value is malformed
   */
  public T read(Config root) {
    return reader.read(key, root.get(key)).orElse(defaultValue);
  }

  /** This setting's row in the configuration reference of {@code docs/operations.md}. */
  public String referenceRow() {
    return "| `"
        + key
        + "` | `"
        + environmentVariable()
        + "` | "
        + typeName
        + " | "
        + documentedDefault
        + " | "
        + description
        + " |";
  }

  @Override
  public String toString() {
    return key;
  }

  static String environmentName(String key) {
    return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }
}
