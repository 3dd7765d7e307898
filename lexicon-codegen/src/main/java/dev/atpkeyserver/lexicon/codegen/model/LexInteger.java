package dev.atpkeyserver.lexicon.codegen.model;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * An {@code integer}; the generator maps it to {@code long}.
 *
 * @param description the description
 * @param minimum the inclusive lower bound, if any
 * @param maximum the inclusive upper bound, if any
 * @param enumValues the closed set of values, empty if none
 * @param constValue the only allowed value, if any
 * @param defaultValue the value used when the field is absent, if any
 */
public record LexInteger(
    Optional<String> description,
    OptionalLong minimum,
    OptionalLong maximum,
    List<Long> enumValues,
    OptionalLong constValue,
    OptionalLong defaultValue)
    implements LexPrimitive, LexDef {

  /** Copies the list and checks for nulls. */
  public LexInteger {
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(minimum, "minimum");
    Objects.requireNonNull(maximum, "maximum");
    enumValues = List.copyOf(enumValues);
    Objects.requireNonNull(constValue, "constValue");
    Objects.requireNonNull(defaultValue, "defaultValue");
  }

  @Override
  public boolean hasDefault() {
    return defaultValue.isPresent();
  }

  /**
   * The same integer with another description, for a reference to an integer definition.
   *
   * @param newDescription the description to use
   * @return the copy
   */
  public LexInteger withDescription(Optional<String> newDescription) {
    return new LexInteger(newDescription, minimum, maximum, enumValues, constValue, defaultValue);
  }
}
