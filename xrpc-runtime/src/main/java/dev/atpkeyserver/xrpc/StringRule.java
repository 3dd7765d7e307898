package dev.atpkeyserver.xrpc;

import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The Lexicon constraints on a string: length in UTF-8 bytes, format, a closed or known set of
 * values, or a constant. Immutable; each method returns a new rule with one more constraint.
 *
 * <pre>{@code
 * static final StringRule MEMBER_DID = StringRule.any().format(StringFormat.DID);
 * }</pre>
 *
 * <p><b>knownValues are enforced.</b> In the Lexicon language {@code knownValues} is an open set, a
 * hint that other values may appear later. The keyserver treats it like {@code enum} and refuses
 * any other value with 400, on purpose: every value it accepts must mean something to it (a
 * rotation reason is stored and audited), and a new value arrives with a new lexicon and a new
 * release anyway.
 *
 * <p>Strings containing an unpaired UTF-16 surrogate (possible through JSON {@code \ud800} escapes)
 * are refused: they are not Unicode text and cannot be stored as UTF-8.
 */
public final class StringRule implements ScalarType<String> {

  private static final StringRule ANY = new StringRule(0, -1, null, List.of(), null);

  private final int minLength;
  private final int maxLength; // -1: no limit
  private final StringFormat format;
  private final List<String> allowed; // empty: any value
  private final String constValue;
  private final String description;

  private StringRule(
      int minLength, int maxLength, StringFormat format, List<String> allowed, String constValue) {
    this.minLength = minLength;
    this.maxLength = maxLength;
    this.format = format;
    this.allowed = allowed;
    this.constValue = constValue;
    this.description = describe();
  }

  /** A rule with no constraints: any string. */
  public static StringRule any() {
    return ANY;
  }

  /**
   * Adds a minimum length.
   *
   * @param bytes the minimum length in UTF-8 bytes, as Lexicon counts string length
   */
  public StringRule minLength(int bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("minLength must be >= 0");
    }
    return new StringRule(bytes, maxLength, format, allowed, constValue);
  }

  /**
   * Adds a maximum length.
   *
   * @param bytes the maximum length in UTF-8 bytes, as Lexicon counts string length
   */
  public StringRule maxLength(int bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("maxLength must be >= 0");
    }
    return new StringRule(minLength, bytes, format, allowed, constValue);
  }

  /**
   * Adds a format.
   *
   * @param format the format values must have
   */
  public StringRule format(StringFormat format) {
    return new StringRule(
        minLength, maxLength, Objects.requireNonNull(format), allowed, constValue);
  }

  /**
   * Restricts the value to a closed set (Lexicon {@code enum}).
   *
   * @param values the allowed values
   */
  public StringRule enumValues(String... values) {
    return oneOf(values);
  }

  /**
   * Restricts the value to the lexicon's {@code knownValues}, which the keyserver enforces (see the
   * class comment).
   *
   * @param values the allowed values
   */
  public StringRule knownValues(String... values) {
    return oneOf(values);
  }

  /**
   * Requires exactly one value (Lexicon {@code const}).
   *
   * @param value the only allowed value
   */
  public StringRule constValue(String value) {
    return new StringRule(
        minLength, maxLength, format, allowed, Objects.requireNonNull(value, "value"));
  }

  /**
   * This rule, reading the value as a datetime. The rule's format must be {@link
   * StringFormat#DATETIME}.
   *
   * @return a type that checks this rule and then parses the value to an {@link Instant}
   */
  public ScalarType<Instant> instant() {
    if (format != StringFormat.DATETIME) {
      throw new IllegalStateException("instant() needs format(StringFormat.DATETIME)");
    }
    StringRule rule = this;
    return new ScalarType<>() {
      @Override
      public Instant fromQuery(String raw, String name) {
        return parse(rule.check(raw, name, Where.PARAMETER), name);
      }

      @Override
      public Instant fromJson(JsonValue value, String path) {
        return parse(rule.fromJson(value, path), path);
      }

      private Instant parse(String checked, String name) {
        try {
          return LexiconFormats.parseDatetime(checked);
        } catch (DateTimeException e) {
          throw Where.badFormat(name, StringFormat.DATETIME); // unreachable after check()
        }
      }
    };
  }

  @Override
  public String fromQuery(String raw, String name) {
    return check(raw, name, Where.PARAMETER);
  }

  @Override
  public String fromJson(JsonValue value, String path) {
    if (!(value instanceof JsonString s)) {
      throw Where.FIELD.invalid(path, "must be a string");
    }
    return check(s.getString(), path, Where.FIELD);
  }

  /**
   * Checks a value against every constraint.
   *
   * @param value the value
   * @param name the parameter or field name, for the message
   * @param where whether the value is a query parameter or a body field
   * @return the value
   */
  String check(String value, String name, Where where) {
    int bytes = utf8Length(value);
    if (bytes < 0) {
      throw where.invalid(name, "must be valid Unicode text");
    }
    if (bytes < minLength || (maxLength >= 0 && bytes > maxLength)) {
      throw where.invalid(name, description);
    }
    if (constValue != null && !constValue.equals(value)) {
      throw where.invalid(name, description);
    }
    if (!allowed.isEmpty() && !allowed.contains(value)) {
      throw where.invalid(name, description);
    }
    if (format != null && !format.isValid(value)) {
      throw Where.badFormat(name, format);
    }
    return value;
  }

  /**
   * The number of bytes a string takes in UTF-8, computed without encoding it.
   *
   * @return the length, or -1 if the string holds an unpaired surrogate
   */
  static int utf8Length(String s) {
    int bytes = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (!Character.isSurrogate(c)) {
        bytes += 3;
      } else if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        bytes += 4;
        i++;
      } else {
        return -1;
      }
    }
    return bytes;
  }

  private StringRule oneOf(String... values) {
    List<String> list = List.of(values);
    if (list.isEmpty()) {
      throw new IllegalArgumentException("At least one value is needed");
    }
    return new StringRule(minLength, maxLength, format, list, constValue);
  }

  // What a valid value looks like, for messages; it only ever quotes the lexicon, never input.
  private String describe() {
    if (constValue != null) {
      return "must be exactly \"" + constValue + "\"";
    }
    if (!allowed.isEmpty()) {
      return "must be one of: " + String.join(", ", allowed);
    }
    if (maxLength >= 0 && minLength > 0) {
      return "must be between " + minLength + " and " + maxLength + " bytes long";
    }
    if (maxLength >= 0) {
      return "must be at most " + maxLength + " bytes long";
    }
    if (minLength > 0) {
      return "must be at least " + minLength + " bytes long";
    }
    return "must be a string";
  }
}
