package dev.atpkeyserver.lexicon.codegen.emit;

import dev.atpkeyserver.lexicon.codegen.model.LexiconDocument;
import dev.atpkeyserver.lexicon.codegen.model.Lexicons;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Turns parsed lexicons into Java source files, for the chosen {@link Target}s: a class per method
 * or definitions document with a {@code package-info.java} per package ({@link Target#RECORDS}),
 * {@code XrpcHandlers} plus {@code XrpcRoutes} in the base package ({@link Target#SERVER}), and
 * {@code KeyserverClient} in its {@code client} sub-package ({@link Target#CLIENT}). Pure: it
 * returns the files and writes nothing.
 */
public final class CodeGenerator {

  private final Naming naming;
  private final String lexiconDir;

  /**
   * A generator.
   *
   * @param basePackage the package of {@code XrpcRoutes}; lexicon classes go to sub-packages
   * @param lexiconDir how headers name the lexicon directory, such as {@code lexicons}
   */
  public CodeGenerator(String basePackage, String lexiconDir) {
    this.naming = new Naming(Objects.requireNonNull(basePackage, "basePackage"));
    this.lexiconDir = Objects.requireNonNull(lexiconDir, "lexiconDir");
  }

  /**
   * Generates the records and the server's routing ({@link Target#DEFAULT}).
   *
   * @param lexicons the parsed lexicons
   * @return each file's path relative to the output directory (with {@code /}) and its content,
   *     sorted by path
   */
  public SortedMap<String, String> generate(Lexicons lexicons) {
    return generate(lexicons, Target.DEFAULT);
  }

  /**
   * Generates the sources of the given targets.
   *
   * @param lexicons the parsed lexicons
   * @param targets what to generate
   * @return each file's path relative to the output directory (with {@code /}) and its content,
   *     sorted by path
   */
  public SortedMap<String, String> generate(Lexicons lexicons, Set<Target> targets) {
    Objects.requireNonNull(targets, "targets");
    if (targets.isEmpty()) {
      throw new IllegalArgumentException("Nothing to generate: no target");
    }
    SortedMap<String, String> files = new TreeMap<>();
    Map<String, List<LexiconDocument>> byPackage = new TreeMap<>();
    if (targets.contains(Target.RECORDS)) {
      ClassEmitter classes = new ClassEmitter(naming, lexiconDir);
      for (LexiconDocument doc : lexicons.documents()) {
        if (!ClassEmitter.producesClass(doc)) {
          continue;
        }
        String packageName = naming.packageOf(doc.id());
        files.put(path(packageName, naming.classOf(doc.id())), classes.emit(doc));
        byPackage.computeIfAbsent(packageName, p -> new ArrayList<>()).add(doc);
      }
    }
    if (targets.contains(Target.SERVER)) {
      byPackage.putIfAbsent(naming.basePackage(), List.of());
      RoutesEmitter routes = new RoutesEmitter(naming, lexiconDir, lexicons.methods());
      files.put(path(naming.basePackage(), "XrpcHandlers"), routes.handlers());
      files.put(path(naming.basePackage(), "XrpcRoutes"), routes.routes());
    }
    if (targets.contains(Target.CLIENT)) {
      ClientEmitter client = new ClientEmitter(naming, lexiconDir, lexicons.methods());
      files.put(path(naming.clientPackage(), JavaNames.CLIENT_CLASS), client.emit());
      files.put(
          path(naming.clientPackage(), "package-info"),
          PackageInfoEmitter.emitClient(naming.clientPackage(), lexiconDir + "/**/*.json"));
    }

    for (Map.Entry<String, List<LexiconDocument>> entry : byPackage.entrySet()) {
      List<LexiconDocument> docs = entry.getValue();
      boolean routing =
          targets.contains(Target.SERVER) && entry.getKey().equals(naming.basePackage());
      files.put(
          path(entry.getKey(), "package-info"),
          PackageInfoEmitter.emit(
              entry.getKey(),
              packageSource(docs, routing),
              docs.stream().map(LexiconDocument::id).sorted().toList(),
              routing));
    }
    return Collections.unmodifiableSortedMap(files);
  }

  /** What a package's files come from: one folder of lexicons, or all of them. */
  private String packageSource(List<LexiconDocument> docs, boolean routing) {
    List<String> folders =
        docs.stream()
            .map(
                d -> d.file().contains("/") ? d.file().substring(0, d.file().lastIndexOf('/')) : "")
            .distinct()
            .toList();
    if (routing || folders.size() != 1) {
      return lexiconDir + "/**/*.json";
    }
    return lexiconDir + "/" + folders.get(0) + "/*.json";
  }

  private static String path(String packageName, String className) {
    return packageName.replace('.', '/') + "/" + className + ".java";
  }
}
