package dev.atpkeyserver.lexicon.codegen.model;

import java.util.Optional;

/** The type of an object property, a parameter or an array item. */
public sealed interface LexType permits LexPrimitive, LexArray, LexRef, LexUnknown {

  /** The description, if the lexicon gives one. */
  Optional<String> description();
}
