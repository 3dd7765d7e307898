package dev.atpkeyserver.lexicon.codegen.model;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An {@code object}: a definition, or the schema of a method's input or output.
 *
 * @param description the description
 * @param properties the properties in lexicon order
 */
public record LexObject(Optional<String> description, List<LexProperty> properties)
    implements LexDef {

  /** Copies the list and checks for nulls. */
  public LexObject {
    Objects.requireNonNull(description, "description");
    properties = List.copyOf(properties);
  }
}
