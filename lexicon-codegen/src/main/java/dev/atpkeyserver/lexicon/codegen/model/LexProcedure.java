package dev.atpkeyserver.lexicon.codegen.model;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@code procedure}: HTTP POST with a JSON body.
 *
 * @param description the description
 * @param parameters the query parameters, if any
 * @param input the body, if any
 * @param output the output
 * @param errors the declared errors
 */
public record LexProcedure(
    Optional<String> description,
    Optional<LexParams> parameters,
    Optional<LexBody> input,
    LexBody output,
    List<LexError> errors)
    implements LexMethod {

  /** Copies the list and checks for nulls. */
  public LexProcedure {
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(parameters, "parameters");
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(output, "output");
    errors = List.copyOf(errors);
  }
}
