package dev.atpkeyserver.lexicon.codegen.model;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * An {@code array}; the generator maps it to an immutable {@code List}.
 *
 * @param description the description
 * @param items the item type: a primitive or a reference to an object
 * @param minLength the minimum number of items, if any
 * @param maxLength the maximum number of items, if any
 */
public record LexArray(
    Optional<String> description, LexType items, OptionalInt minLength, OptionalInt maxLength)
    implements LexType, LexDef {

  /** Checks the components. */
  public LexArray {
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(items, "items");
    if (items instanceof LexArray) {
      throw new IllegalArgumentException("Lexicon has no arrays of arrays");
    }
    Objects.requireNonNull(minLength, "minLength");
    Objects.requireNonNull(maxLength, "maxLength");
  }

  /**
   * The same array with another description, for a reference to an array definition.
   *
   * @param newDescription the description to use
   * @return the copy
   */
  public LexArray withDescription(Optional<String> newDescription) {
    return new LexArray(newDescription, items, minLength, maxLength);
  }
}
