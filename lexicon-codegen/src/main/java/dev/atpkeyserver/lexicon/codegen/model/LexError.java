package dev.atpkeyserver.lexicon.codegen.model;

import java.util.Objects;
import java.util.Optional;

/**
 * An error a method declares.
 *
 * @param name the error name, such as {@code GroupNotFound}
 * @param description when it happens
 */
public record LexError(String name, Optional<String> description) {

  /** Checks for nulls. */
  public LexError {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(description, "description");
  }
}
