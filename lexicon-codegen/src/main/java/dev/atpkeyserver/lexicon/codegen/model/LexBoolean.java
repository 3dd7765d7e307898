package dev.atpkeyserver.lexicon.codegen.model;

import java.util.Objects;
import java.util.Optional;

/**
 * A {@code boolean}.
 *
 * @param description the description
 * @param constValue the only allowed value, if any
 * @param defaultValue the value used when the field is absent, if any
 */
public record LexBoolean(
    Optional<String> description, Optional<Boolean> constValue, Optional<Boolean> defaultValue)
    implements LexPrimitive, LexDef {

  /** Checks for nulls. */
  public LexBoolean {
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(constValue, "constValue");
    Objects.requireNonNull(defaultValue, "defaultValue");
  }

  @Override
  public boolean hasDefault() {
    return defaultValue.isPresent();
  }

  /**
   * The same boolean with another description, for a reference to a boolean definition.
   *
   * @param newDescription the description to use
   * @return the copy
   */
  public LexBoolean withDescription(Optional<String> newDescription) {
    return new LexBoolean(newDescription, constValue, defaultValue);
  }
}
