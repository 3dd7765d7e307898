package dev.atpkeyserver.lexicon.codegen.model;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@code query}: HTTP GET with query parameters.
 *
 * @param description the description
 * @param parameters the parameters, if any
 * @param output the output
 * @param errors the declared errors
 */
public record LexQuery(
    Optional<String> description,
    Optional<LexParams> parameters,
    LexBody output,
    List<LexError> errors)
    implements LexMethod {

  /** Copies the list and checks for nulls. */
  public LexQuery {
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(parameters, "parameters");
    Objects.requireNonNull(output, "output");
    errors = List.copyOf(errors);
  }

  @Override
  public Optional<LexBody> input() {
    return Optional.empty();
  }
}
