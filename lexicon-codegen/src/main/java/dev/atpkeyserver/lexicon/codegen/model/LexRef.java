package dev.atpkeyserver.lexicon.codegen.model;

import java.util.Objects;
import java.util.Optional;

/**
 * A resolved reference to an object definition, which becomes the generated record for it.
 *
 * @param description the description given at the reference, if any
 * @param target the referenced object definition
 */
public record LexRef(Optional<String> description, DefId target) implements LexType {

  /** Checks for nulls. */
  public LexRef {
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(target, "target");
  }
}
