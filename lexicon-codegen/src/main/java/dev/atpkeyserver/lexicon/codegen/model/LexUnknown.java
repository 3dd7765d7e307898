package dev.atpkeyserver.lexicon.codegen.model;

import java.util.Objects;
import java.util.Optional;

/**
 * An {@code unknown}: any JSON object, passed through as it is (Lexicon requires an object here).
 * Only as an object property; its size and content are the handler's to check.
 *
 * @param description the description, if the lexicon gives one
 */
public record LexUnknown(Optional<String> description) implements LexType {

  /** Checks for nulls. */
  public LexUnknown {
    Objects.requireNonNull(description, "description");
  }
}
