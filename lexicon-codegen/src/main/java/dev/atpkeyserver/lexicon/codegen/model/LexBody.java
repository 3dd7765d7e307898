package dev.atpkeyserver.lexicon.codegen.model;

import java.util.Objects;
import java.util.Optional;

/**
 * A method's input or output: always {@code application/json} with an inline object schema.
 *
 * @param description the description
 * @param schema the object schema
 */
public record LexBody(Optional<String> description, LexObject schema) {

  /** The only encoding the generator supports. */
  public static final String JSON = "application/json";

  /** Checks for nulls. */
  public LexBody {
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(schema, "schema");
  }
}
