package dev.atpkeyserver.xrpc;

import jakarta.json.JsonValue;

/**
 * The Lexicon constraints on a boolean: at most a constant. In a query string a boolean is exactly
 * {@code true} or {@code false}, as the XRPC specification says.
 */
public final class BooleanRule implements ScalarType<Boolean> {

  private static final BooleanRule ANY = new BooleanRule(null);

  private final Boolean constValue;

  private BooleanRule(Boolean constValue) {
    this.constValue = constValue;
  }

  /** A rule with no constraints: true or false. */
  public static BooleanRule any() {
    return ANY;
  }

  /**
   * Requires exactly one value (Lexicon {@code const}).
   *
   * @param value the only allowed value
   */
  public BooleanRule constValue(boolean value) {
    return new BooleanRule(value);
  }

  @Override
  public Boolean fromQuery(String raw, String name) {
    boolean value;
    if (raw.equals("true")) {
      value = true;
    } else if (raw.equals("false")) {
      value = false;
    } else {
      throw Where.PARAMETER.invalid(name, description());
    }
    return check(value, name, Where.PARAMETER);
  }

  @Override
  public Boolean fromJson(JsonValue value, String path) {
    if (value.getValueType() == JsonValue.ValueType.TRUE) {
      return check(true, path, Where.FIELD);
    }
    if (value.getValueType() == JsonValue.ValueType.FALSE) {
      return check(false, path, Where.FIELD);
    }
    throw Where.FIELD.invalid(path, description());
  }

  private boolean check(boolean value, String name, Where where) {
    if (constValue != null && constValue != value) {
      throw where.invalid(name, description());
    }
    return value;
  }

  private String description() {
    return constValue == null
        ? "must be a boolean (true or false)"
        : "must be exactly " + constValue;
  }
}
