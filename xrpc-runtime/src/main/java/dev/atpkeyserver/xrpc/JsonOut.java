package dev.atpkeyserver.xrpc;

import jakarta.json.JsonNumber;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Map;

/**
 * A small, fast JSON writer over a {@link StringBuilder}, for responses. It writes compact JSON (no
 * whitespace), escapes strings fully per RFC 8259, and writes {@link Instant}s in the one datetime
 * form the keyserver emits: UTC with milliseconds, {@code 2025-01-24T10:30:00.000Z}.
 *
 * <p>It checks its own use: a value where a name is expected, a name outside an object, an
 * unbalanced end or reading an unfinished document throw {@link IllegalStateException}. That is a
 * bug in the caller, never a client error.
 *
 * <p>Not thread-safe; use one instance per response.
 *
 * <pre>{@code
 * byte[] body = JsonOut.toBytes(out -> out.beginObject().name("version").value(2).endObject());
 * }</pre>
 */
public final class JsonOut {

  // Context of each open container, innermost last; the bottom entry is the top level.
  private static final byte TOP_EMPTY = 0;
  private static final byte TOP_DONE = 1;
  private static final byte OBJECT_EMPTY = 2;
  private static final byte OBJECT_NAME = 3; // a name was written, its value is due
  private static final byte OBJECT_VALUE = 4; // at least one member written
  private static final byte ARRAY_EMPTY = 5;
  private static final byte ARRAY_VALUE = 6;

  private static final char[] HEX = "0123456789abcdef".toCharArray();
  private static final int[] POWERS_OF_TEN = {1, 10, 100, 1000};

  private final StringBuilder sb;
  private byte[] stack = new byte[16];
  private int depth;

  /** A writer with a default initial capacity. */
  public JsonOut() {
    this(256);
  }

  /**
   * A writer with the given initial capacity, for callers that know their output is large.
   *
   * @param capacity initial buffer size in characters
   */
  public JsonOut(int capacity) {
    sb = new StringBuilder(capacity);
    stack[0] = TOP_EMPTY;
  }

  /**
   * Serializes one value to UTF-8 bytes.
   *
   * @param value the value to write
   * @return the JSON document as UTF-8
   */
  public static byte[] toBytes(JsonWritable value) {
    JsonOut out = new JsonOut();
    out.value(value);
    return out.toBytes();
  }

  /**
   * Serializes one value to a string.
   *
   * @param value the value to write
   * @return the JSON document
   */
  public static String toJson(JsonWritable value) {
    JsonOut out = new JsonOut();
    out.value(value);
    return out.toString();
  }

  /** Starts an object. */
  public JsonOut beginObject() {
    beforeValue();
    sb.append('{');
    push(OBJECT_EMPTY);
    return this;
  }

  /** Ends the innermost object. */
  public JsonOut endObject() {
    byte context = stack[depth];
    if (context != OBJECT_EMPTY && context != OBJECT_VALUE) {
      throw new IllegalStateException("endObject() outside an object or after a dangling name");
    }
    depth--;
    sb.append('}');
    return this;
  }

  /** Starts an array. */
  public JsonOut beginArray() {
    beforeValue();
    sb.append('[');
    push(ARRAY_EMPTY);
    return this;
  }

  /** Ends the innermost array. */
  public JsonOut endArray() {
    byte context = stack[depth];
    if (context != ARRAY_EMPTY && context != ARRAY_VALUE) {
      throw new IllegalStateException("endArray() outside an array");
    }
    depth--;
    sb.append(']');
    return this;
  }

  /**
   * Writes a member name; the next call must write its value.
   *
   * @param name the member name
   */
  public JsonOut name(String name) {
    byte context = stack[depth];
    if (context == OBJECT_VALUE) {
      sb.append(',');
    } else if (context != OBJECT_EMPTY) {
      throw new IllegalStateException("name() outside an object or twice in a row");
    }
    stack[depth] = OBJECT_NAME;
    string(name);
    sb.append(':');
    return this;
  }

  /**
   * Writes a string value, or {@code null} for a null reference.
   *
   * @param value the string
   */
  public JsonOut value(String value) {
    if (value == null) {
      return nullValue();
    }
    beforeValue();
    string(value);
    return this;
  }

  /**
   * Writes an integer value.
   *
   * @param value the number
   */
  public JsonOut value(long value) {
    beforeValue();
    sb.append(value);
    return this;
  }

  /**
   * Writes a boolean value.
   *
   * @param value the boolean
   */
  public JsonOut value(boolean value) {
    beforeValue();
    sb.append(value);
    return this;
  }

  /**
   * Writes a datetime as {@code yyyy-MM-dd'T'HH:mm:ss.SSS'Z'} in UTC (always with milliseconds, as
   * JavaScript's {@code Date.toISOString()} does), or {@code null} for a null reference. Precision
   * below a millisecond is truncated.
   *
   * @param value the instant, with a year between 0 and 9999
   * @throws IllegalArgumentException if the year is outside 0..9999, which Lexicon datetimes cannot
   *     express
   */
  public JsonOut value(Instant value) {
    if (value == null) {
      return nullValue();
    }
    LocalDateTime t = LocalDateTime.ofEpochSecond(value.getEpochSecond(), 0, ZoneOffset.UTC);
    int year = t.getYear();
    if (year < 0 || year > 9999) {
      throw new IllegalArgumentException("Datetime year out of range 0..9999: " + year);
    }
    beforeValue();
    sb.append('"');
    pad(year, 4);
    sb.append('-');
    pad(t.getMonthValue(), 2);
    sb.append('-');
    pad(t.getDayOfMonth(), 2);
    sb.append('T');
    pad(t.getHour(), 2);
    sb.append(':');
    pad(t.getMinute(), 2);
    sb.append(':');
    pad(t.getSecond(), 2);
    sb.append('.');
    pad(value.getNano() / 1_000_000, 3);
    sb.append("Z\"");
    return this;
  }

  /**
   * Writes a nested value by letting it write itself, or {@code null} for a null reference.
   *
   * @param value the value
   */
  public JsonOut value(JsonWritable value) {
    if (value == null) {
      return nullValue();
    }
    int depthBefore = depth;
    int lengthBefore = sb.length();
    value.writeJson(this);
    if (depth != depthBefore || sb.length() == lengthBefore) {
      throw new IllegalStateException(
          value.getClass().getName() + ".writeJson did not write one complete value");
    }
    return this;
  }

  /**
   * Writes a JSON-P value as it is (a Lexicon {@code unknown}), or {@code null} for a null
   * reference. Numbers keep their decimal text; members keep their order.
   *
   * @param value the value
   */
  public JsonOut value(JsonValue value) {
    if (value == null) {
      return nullValue();
    }
    switch (value.getValueType()) {
      case OBJECT -> {
        beginObject();
        for (Map.Entry<String, JsonValue> member : value.asJsonObject().entrySet()) {
          name(member.getKey());
          value(member.getValue());
        }
        endObject();
      }
      case ARRAY -> {
        beginArray();
        for (JsonValue item : value.asJsonArray()) {
          value(item);
        }
        endArray();
      }
      case STRING -> value(((JsonString) value).getString());
      case NUMBER -> {
        beforeValue();
        sb.append(((JsonNumber) value).bigDecimalValue().toString());
      }
      case TRUE -> value(true);
      case FALSE -> value(false);
      case NULL -> nullValue();
    }
    return this;
  }

  /** Writes {@code null}. */
  public JsonOut nullValue() {
    beforeValue();
    sb.append("null");
    return this;
  }

  /**
   * The document as UTF-8 bytes.
   *
   * @throws IllegalStateException if the document is empty or has unclosed containers
   */
  public byte[] toBytes() {
    return toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The document as a string.
   *
   * @throws IllegalStateException if the document is empty or has unclosed containers
   */
  @Override
  public String toString() {
    if (depth != 0 || stack[0] != TOP_DONE) {
      throw new IllegalStateException("Incomplete JSON document");
    }
    return sb.toString();
  }

  private void beforeValue() {
    switch (stack[depth]) {
      case TOP_EMPTY -> stack[depth] = TOP_DONE;
      case OBJECT_NAME -> stack[depth] = OBJECT_VALUE;
      case ARRAY_EMPTY -> stack[depth] = ARRAY_VALUE;
      case ARRAY_VALUE -> sb.append(',');
      case TOP_DONE -> throw new IllegalStateException("A JSON document holds one value");
      default -> throw new IllegalStateException("A value inside an object needs a name() first");
    }
  }

  private void push(byte context) {
    if (++depth == stack.length) {
      stack = Arrays.copyOf(stack, stack.length * 2);
    }
    stack[depth] = context;
  }

  private void pad(int value, int width) {
    for (int p = POWERS_OF_TEN[width - 1]; p > 1 && value < p; p /= 10) {
      sb.append('0');
    }
    sb.append(value);
  }

  private void string(String s) {
    sb.append('"');
    int length = s.length();
    int start = 0; // start of the run of characters that need no escaping
    for (int i = 0; i < length; i++) {
      char c = s.charAt(i);
      String escape;
      if (c < 0x20 || c == '"' || c == '\\') {
        escape =
            switch (c) {
              case '"' -> "\\\"";
              case '\\' -> "\\\\";
              case '\n' -> "\\n";
              case '\r' -> "\\r";
              case '\t' -> "\\t";
              case '\b' -> "\\b";
              case '\f' -> "\\f";
              default -> "\\u00" + HEX[c >> 4] + HEX[c & 0xf];
            };
      } else if (c == '\u2028' || c == '\u2029') {
        // Legal in JSON, but line terminators in older JavaScript: escape them.
        escape = c == '\u2028' ? "\\u2028" : "\\u2029";
      } else if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c)
            && i + 1 < length
            && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++; // a valid pair passes through unchanged
          continue;
        }
        // A lone surrogate is not Unicode and cannot be encoded as UTF-8 (it would silently turn
        // into '?'); write the replacement character instead.
        escape = "\\ufffd";
      } else {
        continue;
      }
      sb.append(s, start, i).append(escape);
      start = i + 1;
    }
    sb.append(s, start, length).append('"');
  }
}
