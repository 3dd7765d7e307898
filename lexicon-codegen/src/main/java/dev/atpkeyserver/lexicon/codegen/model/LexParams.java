package dev.atpkeyserver.lexicon.codegen.model;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A method's query parameters ({@code params}); their types are primitives or arrays of primitives.
 *
 * @param description the description
 * @param properties the parameters in lexicon order, never empty
 */
public record LexParams(Optional<String> description, List<LexProperty> properties) {

  /** Copies the list and checks the components. */
  public LexParams {
    Objects.requireNonNull(description, "description");
    properties = List.copyOf(properties);
    if (properties.isEmpty()) {
      throw new IllegalArgumentException("Parameters without properties are modelled as absent");
    }
  }
}
