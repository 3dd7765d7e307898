package dev.atpkeyserver.lexicon.codegen.docs;

import dev.atpkeyserver.lexicon.codegen.LexiconException;
import dev.atpkeyserver.lexicon.codegen.LexiconParser;
import dev.atpkeyserver.lexicon.codegen.model.Lexicons;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The command line of the method reference: {@code LexiconDocsMain <lexicons dir> <markdown file>
 * <check|write> <public-method rule> [<regenerate command>]}.
 *
 * <p>{@code write} writes the page; {@code check} leaves it alone and fails when it differs from
 * what the lexicons produce (line endings aside), naming the regenerate command. The public-method
 * rule is {@code class#method}, a static {@code boolean method(String nsid)} on the class path (the
 * server passes {@code XrpcAuthPolicy#isPublic}), so the page shows the server's own rule.
 *
 * <p>Like the code generator's {@code Main}, failures are thrown rather than turned into {@code
 * System.exit}: the build runs this with {@code exec:java} inside Maven's JVM.
 */
public final class LexiconDocsMain {

  private LexiconDocsMain() {}

  /**
   * Runs the command.
   *
   * @param args {@code <lexicons dir> <markdown file> <check|write> <class#method> [<command>]}
   * @throws IllegalArgumentException for wrong arguments or an unusable public-method rule
   * @throws IllegalStateException in {@code check} mode, when the page is missing or out of date
   * @throws LexiconException for an invalid or unsupported lexicon
   */
  public static void main(String[] args) {
    if (args.length < 4 || args.length > 5) {
      throw new IllegalArgumentException(
          "Usage: LexiconDocsMain <lexicons dir> <markdown file> <check|write> <class#method>"
              + " [<regenerate command>], got "
              + args.length
              + " arguments");
    }
    Path lexiconDir = Path.of(args[0]).toAbsolutePath().normalize();
    Path page = Path.of(args[1]).toAbsolutePath().normalize();
    boolean write =
        switch (args[2]) {
          case "write" -> true;
          case "check" -> false;
          default ->
              throw new IllegalArgumentException(
                  "Mode must be 'check' or 'write', got '" + args[2] + "'");
        };
    Predicate<String> isPublic = staticPredicate(args[3]);
    Optional<String> regenerate = args.length == 5 ? Optional.of(args[4]) : Optional.empty();
    if (!Files.isDirectory(lexiconDir)) {
      throw new IllegalArgumentException("Not a directory: " + lexiconDir);
    }

    Lexicons lexicons = LexiconParser.parseDirectory(lexiconDir);
    String dirName = lexiconDir.getFileName().toString();
    String rendered = new LexiconDocs(dirName, isPublic, args[3], regenerate).render(lexicons);

    if (write) {
      writePage(page, rendered);
      System.out.printf("lexicon-docs: %s -> %s%n", lexiconDir, page);
    } else if (!rendered.equals(existing(page))) {
      throw new IllegalStateException(
          page
              + " is out of date with the lexicons in "
              + lexiconDir
              + ": regenerate it with "
              + regenerate.orElse("LexiconDocsMain in write mode")
              + " and commit the result");
    }
  }

  /** The page as committed, with Windows line endings read as Unix ones; empty if missing. */
  private static String existing(Path page) {
    try {
      return Files.isRegularFile(page)
          ? Files.readString(page, StandardCharsets.UTF_8).replace("\r\n", "\n")
          : "";
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + page, e);
    }
  }

  private static void writePage(Path page, String text) {
    try {
      Files.createDirectories(page.getParent());
      Files.writeString(page, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + page, e);
    }
  }

  /**
   * Loads {@code class#method}, a public static {@code boolean method(String)}, from the context
   * class loader: under {@code exec:java} that is the calling project's class path.
   */
  static Predicate<String> staticPredicate(String rule) {
    int hash = rule.indexOf('#');
    if (hash <= 0 || hash == rule.length() - 1) {
      throw new IllegalArgumentException("Public-method rule must be class#method, got " + rule);
    }
    Method method;
    try {
      Class<?> type =
          Class.forName(
              rule.substring(0, hash), true, Thread.currentThread().getContextClassLoader());
      method = type.getMethod(rule.substring(hash + 1), String.class);
    } catch (ClassNotFoundException | NoSuchMethodException e) {
      throw new IllegalArgumentException("No public method " + rule + "(String) found", e);
    }
    if (!Modifier.isStatic(method.getModifiers()) || method.getReturnType() != boolean.class) {
      throw new IllegalArgumentException(rule + " must be static and return boolean");
    }
    return nsid -> {
      try {
        return (boolean) method.invoke(null, nsid);
      } catch (IllegalAccessException | InvocationTargetException e) {
        throw new IllegalStateException(rule + " failed for " + nsid, e);
      }
    };
  }
}
