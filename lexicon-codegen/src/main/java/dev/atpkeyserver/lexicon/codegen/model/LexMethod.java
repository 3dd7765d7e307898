package dev.atpkeyserver.lexicon.codegen.model;

import java.util.List;
import java.util.Optional;

/** An XRPC method: the {@code main} definition of its document. */
public sealed interface LexMethod extends LexDef permits LexQuery, LexProcedure {

  /** The query parameters, if the method has any. */
  Optional<LexParams> parameters();

  /** The JSON body the method takes: always empty for a query. */
  Optional<LexBody> input();

  /** The JSON body the method returns. */
  LexBody output();

  /** The errors the method declares, in lexicon order. */
  List<LexError> errors();
}
