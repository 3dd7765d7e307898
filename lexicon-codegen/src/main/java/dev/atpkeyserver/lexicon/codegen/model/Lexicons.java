package dev.atpkeyserver.lexicon.codegen.model;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A parsed, resolved set of lexicon documents, sorted by id.
 *
 * @param documents the documents
 */
public record Lexicons(List<LexiconDocument> documents) {

  /** Sorts and copies the documents. */
  public Lexicons {
    documents = documents.stream().sorted(Comparator.comparing(LexiconDocument::id)).toList();
  }

  /**
   * Finds a document.
   *
   * @param id its NSID
   * @return the document, if present
   */
  public Optional<LexiconDocument> document(String id) {
    return documents.stream().filter(d -> d.id().equals(id)).findFirst();
  }

  /**
   * Finds a definition.
   *
   * @param id its full name
   * @return the definition, if present
   */
  public Optional<LexDef> def(DefId id) {
    return document(id.nsid()).map(d -> d.defs().get(id.name()));
  }

  /** The documents that define methods, sorted by NSID. */
  public List<LexiconDocument> methods() {
    return documents.stream().filter(d -> d.method().isPresent()).toList();
  }
}
