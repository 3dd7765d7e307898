package dev.atpkeyserver.lexicon.codegen.model;

import java.util.Objects;

/**
 * The full name of a definition: the document's NSID and the definition's name.
 *
 * @param nsid the document id
 * @param name the definition name, {@code main} for the main definition
 */
public record DefId(String nsid, String name) implements Comparable<DefId> {

  /** Checks for nulls. */
  public DefId {
    Objects.requireNonNull(nsid, "nsid");
    Objects.requireNonNull(name, "name");
  }

  /** {@code nsid#name}, as a lexicon writes a global reference. */
  @Override
  public String toString() {
    return nsid + "#" + name;
  }

  @Override
  public int compareTo(DefId other) {
    int byNsid = nsid.compareTo(other.nsid);
    return byNsid != 0 ? byNsid : name.compareTo(other.name);
  }
}
