package dev.atpkeyserver.lexicon.codegen.model;

/** A Lexicon primitive: allowed as a query parameter and as an array item in parameters. */
public sealed interface LexPrimitive extends LexType permits LexString, LexInteger, LexBoolean {

  /** Whether the lexicon gives a default value. */
  boolean hasDefault();
}
