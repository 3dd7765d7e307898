package dev.atpkeyserver.lexicon.codegen.emit;

import java.util.Set;

/**
 * One generated source file being written: the header comment, the package, the imports the body
 * asked for, and the body.
 */
final class JavaFile {

  /** The value of every {@code @Generated} annotation. */
  static final String GENERATOR = "atp-keyserver-lexicon-codegen";

  private final String source;
  private final String packageName;
  private final Imports imports;
  private final SourceWriter body = new SourceWriter();

  /**
   * @param source what the file is generated from, for the header, such as {@code
   *     lexicons/a/b/c.json}
   * @param packageName the file's package
   * @param reserved simple names the file declares
   */
  JavaFile(String source, String packageName, Set<String> reserved) {
    this.source = source;
    this.packageName = packageName;
    this.imports = new Imports(packageName, reserved);
  }

  /** The first line of every generated file; also how stale generated files are recognised. */
  static String header(String source) {
    return "// Generated from " + source + " by atp-keyserver lexicon-codegen. Do not edit.";
  }

  Imports imports() {
    return imports;
  }

  SourceWriter body() {
    return body;
  }

  /** The {@code @Generated} annotation line. */
  String generatedAnnotation() {
    return "@" + imports.use("javax.annotation.processing.Generated") + "(\"" + GENERATOR + "\")";
  }

  String render() {
    return header(source) + "\n" + "package " + packageName + ";\n\n" + imports.render() + body;
  }
}
