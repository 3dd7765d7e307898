package dev.atpkeyserver.lexicon.codegen.emit;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Chooses how a generated file names each type: the simple name with an import where that is
 * unambiguous, the qualified name otherwise (for example when a nested record is called {@code
 * List}). Types in {@code java.lang} and in the file's own package need no import line but are
 * still checked for clashes.
 */
final class Imports {

  private final String ownPackage;
  private final Set<String> reserved;
  private final Map<String, String> bySimpleName = new HashMap<>();

  /**
   * @param ownPackage the file's package
   * @param reserved simple names declared in the file (its class and nested types), which shadow
   *     any import
   */
  Imports(String ownPackage, Set<String> reserved) {
    this.ownPackage = ownPackage;
    this.reserved = Set.copyOf(reserved);
  }

  /**
   * The name to write for a top-level type.
   *
   * @param qualifiedName the fully qualified name
   * @return the simple name if it can be used, else the qualified name
   */
  String use(String qualifiedName) {
    int dot = qualifiedName.lastIndexOf('.');
    String simple = qualifiedName.substring(dot + 1);
    if (reserved.contains(simple)) {
      return qualifiedName;
    }
    String existing = bySimpleName.putIfAbsent(simple, qualifiedName);
    return existing == null || existing.equals(qualifiedName) ? simple : qualifiedName;
  }

  /** The import lines, sorted. */
  String render() {
    Set<String> lines = new TreeSet<>();
    for (String qualifiedName : bySimpleName.values()) {
      String pkg = qualifiedName.substring(0, qualifiedName.lastIndexOf('.'));
      if (!pkg.equals("java.lang") && !pkg.equals(ownPackage)) {
        lines.add("import " + qualifiedName + ";");
      }
    }
    return lines.isEmpty() ? "" : String.join("\n", lines) + "\n\n";
  }
}
