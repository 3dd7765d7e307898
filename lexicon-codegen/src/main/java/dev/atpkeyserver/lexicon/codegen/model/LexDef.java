package dev.atpkeyserver.lexicon.codegen.model;

import java.util.Optional;

/** Anything that can be a named definition in a lexicon document's {@code defs}. */
public sealed interface LexDef
    permits LexMethod, LexObject, LexString, LexInteger, LexBoolean, LexArray {

  /** The definition's description, if the lexicon gives one. */
  Optional<String> description();
}
