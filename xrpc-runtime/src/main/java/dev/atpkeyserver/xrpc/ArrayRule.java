package dev.atpkeyserver.xrpc;

import jakarta.json.JsonArray;
import java.util.ArrayList;
import java.util.List;

/**
 * The Lexicon constraints on an array's length (number of items). The items' own rules come from
 * their type: {@link #of(FieldType)} in JSON, {@link QueryParams#requiredList} in a query string.
 */
public final class ArrayRule {

  private static final ArrayRule ANY = new ArrayRule(0, -1);

  private final int minLength;
  private final int maxLength; // -1: no limit

  private ArrayRule(int minLength, int maxLength) {
    this.minLength = minLength;
    this.maxLength = maxLength;
  }

  /** A rule with no constraints on the length. */
  public static ArrayRule any() {
    return ANY;
  }

  /**
   * Adds a minimum number of items.
   *
   * @param items the minimum
   */
  public ArrayRule minLength(int items) {
    if (items < 0) {
      throw new IllegalArgumentException("minLength must be >= 0");
    }
    return new ArrayRule(items, maxLength);
  }

  /**
   * Adds a maximum number of items.
   *
   * @param items the maximum
   */
  public ArrayRule maxLength(int items) {
    if (items < 0) {
      throw new IllegalArgumentException("maxLength must be >= 0");
    }
    return new ArrayRule(minLength, items);
  }

  /**
   * A JSON array type with this rule and the given item type.
   *
   * @param items how to read each item
   * @param <T> the item type
   * @return a type reading an unmodifiable list
   */
  public <T> FieldType<List<T>> of(FieldType<T> items) {
    return (value, path) -> {
      if (!(value instanceof JsonArray array)) {
        throw Where.FIELD.invalid(path, "must be an array");
      }
      checkLength(array.size(), path, Where.FIELD);
      List<T> result = new ArrayList<>(array.size());
      for (int i = 0; i < array.size(); i++) {
        result.add(items.fromJson(array.get(i), path + "[" + i + "]"));
      }
      return List.copyOf(result);
    };
  }

  /**
   * Checks the number of items.
   *
   * @param size the number of items
   * @param name the parameter or field name, for the message
   * @param where whether the array is a query parameter or a body field
   */
  void checkLength(int size, String name, Where where) {
    if (size < minLength || (maxLength >= 0 && size > maxLength)) {
      String rule;
      if (maxLength >= 0 && minLength > 0) {
        rule = "must have between " + minLength + " and " + maxLength + " items";
      } else if (maxLength >= 0) {
        rule = "must have at most " + maxLength + " items";
      } else {
        rule = "must have at least " + minLength + " items";
      }
      throw where.invalid(name, rule);
    }
  }
}
