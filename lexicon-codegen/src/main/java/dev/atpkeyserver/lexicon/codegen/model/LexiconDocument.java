package dev.atpkeyserver.lexicon.codegen.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One lexicon file.
 *
 * @param id the document's NSID
 * @param file the file's path relative to the lexicon directory, with {@code /} separators
 * @param description the document's description
 * @param defs the definitions, in file order
 */
public record LexiconDocument(
    String id, String file, Optional<String> description, Map<String, LexDef> defs) {

  /** Copies the map (keeping its order) and checks for nulls. */
  public LexiconDocument {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(description, "description");
    defs = Collections.unmodifiableMap(new LinkedHashMap<>(defs));
  }

  /** The method this document defines, if its {@code main} definition is a query or procedure. */
  public Optional<LexMethod> method() {
    return defs.get("main") instanceof LexMethod m ? Optional.of(m) : Optional.empty();
  }
}
