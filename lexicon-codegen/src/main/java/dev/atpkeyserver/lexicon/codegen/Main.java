package dev.atpkeyserver.lexicon.codegen;

import dev.atpkeyserver.lexicon.codegen.emit.CodeGenerator;
import dev.atpkeyserver.lexicon.codegen.emit.JavaNames;
import dev.atpkeyserver.lexicon.codegen.emit.Target;
import dev.atpkeyserver.lexicon.codegen.model.Lexicons;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.SortedMap;

/**
 * The command line: {@code Main [--targets <list>] <lexicons dir> <output dir> [<base package>]}.
 * Reads every lexicon under the first directory, generates Java sources into the second (removing
 * stale generated files there) and prints a one-line summary. The base package defaults to {@value
 * JavaNames#DEFAULT_BASE_PACKAGE}; the targets (a comma-separated list of {@code records}, {@code
 * server} and {@code client}, see {@link Target}) default to {@code records,server}.
 *
 * <p>Failures are thrown, not turned into {@code System.exit}, because the build runs this with
 * {@code exec:java} inside Maven's own JVM; the exception's message names the lexicon file and the
 * JSON path at fault.
 */
public final class Main {

  private Main() {}

  /**
   * Runs the generator.
   *
   * @param args {@code [--targets <list>] <lexicons dir> <output dir> [<base package>]}
   * @throws IllegalArgumentException for wrong arguments
   * @throws LexiconException for an invalid or unsupported lexicon
   */
  public static void main(String[] args) {
    Set<Target> targets = Target.DEFAULT;
    if (args.length >= 2 && args[0].equals("--targets")) {
      targets = Target.parse(args[1]);
      args = Arrays.copyOfRange(args, 2, args.length);
    }
    if (args.length < 2 || args.length > 3) {
      throw new IllegalArgumentException(
          "Usage: Main [--targets records,server,client] <lexicons dir> <output dir>"
              + " [<base package>], got "
              + args.length
              + " arguments");
    }
    Path lexiconDir = Path.of(args[0]);
    Path outputDir = Path.of(args[1]);
    String basePackage = args.length == 3 ? args[2] : JavaNames.DEFAULT_BASE_PACKAGE;
    if (!Files.isDirectory(lexiconDir)) {
      throw new IllegalArgumentException("Not a directory: " + lexiconDir);
    }
    if (!basePackage.matches("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*")) {
      throw new IllegalArgumentException("Not a Java package name: " + basePackage);
    }
    GeneratedFiles.Result result = run(lexiconDir, outputDir, basePackage, targets);
    System.out.printf(
        "lexicon-codegen: %s -> %s: %d written, %d unchanged, %d stale removed%n",
        lexiconDir, outputDir, result.written(), result.unchanged(), result.deleted());
  }

  /**
   * Parses, generates the records and the server's routing, and writes.
   *
   * @param lexiconDir the lexicon directory
   * @param outputDir the output directory
   * @param basePackage the base package
   * @return what was written
   */
  public static GeneratedFiles.Result run(Path lexiconDir, Path outputDir, String basePackage) {
    return run(lexiconDir, outputDir, basePackage, Target.DEFAULT);
  }

  /**
   * Parses, generates the given targets, and writes.
   *
   * @param lexiconDir the lexicon directory
   * @param outputDir the output directory
   * @param basePackage the base package
   * @param targets what to generate
   * @return what was written
   */
  public static GeneratedFiles.Result run(
      Path lexiconDir, Path outputDir, String basePackage, Set<Target> targets) {
    Lexicons lexicons = LexiconParser.parseDirectory(lexiconDir);
    String dirName = lexiconDir.toAbsolutePath().normalize().getFileName().toString();
    SortedMap<String, String> files =
        new CodeGenerator(basePackage, dirName).generate(lexicons, targets);
    return GeneratedFiles.write(outputDir, files);
  }
}
