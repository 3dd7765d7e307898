package dev.atpkeyserver.lexicon.codegen.emit;

import dev.atpkeyserver.lexicon.codegen.model.DefId;

/** Where the generated type for a document or definition lives, for one base package. */
final class Naming {

  private final String basePackage;

  Naming(String basePackage) {
    this.basePackage = basePackage;
  }

  String basePackage() {
    return basePackage;
  }

  /** The package of the generated client: the base package's {@code client} sub-package. */
  String clientPackage() {
    return basePackage + "." + JavaNames.CLIENT_SUBPACKAGE;
  }

  /** The package of a document's class. */
  String packageOf(String nsid) {
    return JavaNames.packageName(basePackage, nsid);
  }

  /** The simple name of a document's class. */
  String classOf(String nsid) {
    return JavaNames.className(nsid).orElseThrow();
  }

  /** The qualified name of a document's class. */
  String qualifiedClassOf(String nsid) {
    return packageOf(nsid) + "." + classOf(nsid);
  }

  /** The simple name of the record nested in its document's class for an object definition. */
  String recordOf(DefId def) {
    return JavaNames.typeName(def.name()).orElseThrow();
  }
}
