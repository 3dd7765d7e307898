package dev.atpkeyserver.lexicon.codegen.model;

import java.util.Objects;

/**
 * One property of an object or of the parameters, in lexicon order.
 *
 * @param name the wire name, exactly as in the lexicon
 * @param type the type
 * @param required whether it must be present
 * @param nullable whether it may be JSON {@code null} (never for parameters)
 */
public record LexProperty(String name, LexType type, boolean required, boolean nullable) {

  /** Checks for nulls. */
  public LexProperty {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
  }
}
