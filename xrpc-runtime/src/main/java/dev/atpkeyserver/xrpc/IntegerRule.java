package dev.atpkeyserver.xrpc;

import jakarta.json.JsonNumber;
import jakarta.json.JsonValue;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

/**
 * The Lexicon constraints on an integer: bounds, a closed set of values, or a constant. Values are
 * Java {@code long}s. Immutable; each method returns a new rule with one more constraint.
 *
 * <p>In a query string an integer is an optional minus sign and decimal digits. In JSON any number
 * with an integral value is accepted, so {@code 2.0} and {@code 2e0} mean 2 (as in the reference
 * implementation, where JavaScript cannot tell them apart); {@code 2.5} is refused.
 */
public final class IntegerRule implements ScalarType<Long> {

  private static final IntegerRule ANY =
      new IntegerRule(Long.MIN_VALUE, Long.MAX_VALUE, null, null);

  private final long minimum;
  private final long maximum;
  private final long[] allowed; // null: any value; sorted
  private final Long constValue;
  private final String description;

  private IntegerRule(long minimum, long maximum, long[] allowed, Long constValue) {
    this.minimum = minimum;
    this.maximum = maximum;
    this.allowed = allowed;
    this.constValue = constValue;
    this.description = describe();
  }

  /** A rule with no constraints: any integer that fits a {@code long}. */
  public static IntegerRule any() {
    return ANY;
  }

  /**
   * Adds an inclusive lower bound.
   *
   * @param minimum the smallest allowed value
   */
  public IntegerRule minimum(long minimum) {
    return new IntegerRule(minimum, maximum, allowed, constValue);
  }

  /**
   * Adds an inclusive upper bound.
   *
   * @param maximum the largest allowed value
   */
  public IntegerRule maximum(long maximum) {
    return new IntegerRule(minimum, maximum, allowed, constValue);
  }

  /**
   * Restricts the value to a closed set (Lexicon {@code enum}).
   *
   * @param values the allowed values
   */
  public IntegerRule enumValues(long... values) {
    if (values.length == 0) {
      throw new IllegalArgumentException("At least one value is needed");
    }
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return new IntegerRule(minimum, maximum, sorted, constValue);
  }

  /**
   * Requires exactly one value (Lexicon {@code const}).
   *
   * @param value the only allowed value
   */
  public IntegerRule constValue(long value) {
    return new IntegerRule(minimum, maximum, allowed, value);
  }

  @Override
  public Long fromQuery(String raw, String name) {
    if (!isDecimalInteger(raw)) {
      throw Where.PARAMETER.invalid(name, description);
    }
    long value;
    try {
      value = Long.parseLong(raw);
    } catch (NumberFormatException e) {
      throw Where.PARAMETER.invalid(name, description); // out of the long range
    }
    return check(value, name, Where.PARAMETER);
  }

  @Override
  public Long fromJson(JsonValue value, String path) {
    if (!(value instanceof JsonNumber number)) {
      throw Where.FIELD.invalid(path, description);
    }
    BigDecimal decimal = number.bigDecimalValue();
    // precision - scale is the number of integer digits; a long has at most 19. Checking first
    // keeps a value like 1e999999 from being expanded into a million digits.
    if (decimal.signum() != 0 && decimal.precision() - decimal.scale() > 19) {
      throw Where.FIELD.invalid(path, description);
    }
    long exact;
    try {
      exact = decimal.longValueExact(); // throws for a fraction or an overflow
    } catch (ArithmeticException e) {
      throw Where.FIELD.invalid(path, description);
    }
    return check(exact, path, Where.FIELD);
  }

  private long check(long value, String name, Where where) {
    if (value < minimum || value > maximum) {
      throw where.invalid(name, description);
    }
    if (constValue != null && constValue != value) {
      throw where.invalid(name, description);
    }
    if (allowed != null && Arrays.binarySearch(allowed, value) < 0) {
      throw where.invalid(name, description);
    }
    return value;
  }

  private static boolean isDecimalInteger(String s) {
    int start = s.startsWith("-") ? 1 : 0;
    if (s.length() == start || s.length() - start > 19) {
      return false;
    }
    for (int i = start; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  private String describe() {
    if (constValue != null) {
      return "must be exactly " + constValue;
    }
    if (allowed != null) {
      return "must be one of: "
          + LongStream.of(allowed).mapToObj(Long::toString).collect(Collectors.joining(", "));
    }
    boolean hasMin = minimum != Long.MIN_VALUE;
    boolean hasMax = maximum != Long.MAX_VALUE;
    if (hasMin && hasMax) {
      return "must be an integer between " + minimum + " and " + maximum;
    }
    if (hasMin) {
      return "must be an integer >= " + minimum;
    }
    if (hasMax) {
      return "must be an integer <= " + maximum;
    }
    return "must be an integer";
  }
}
