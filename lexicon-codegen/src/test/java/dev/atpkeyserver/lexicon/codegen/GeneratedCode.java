package dev.atpkeyserver.lexicon.codegen;

import static org.junit.jupiter.api.Assertions.fail;

import dev.atpkeyserver.lexicon.codegen.emit.CodeGenerator;
import dev.atpkeyserver.lexicon.codegen.emit.Target;
import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Generates code from a lexicon directory and compiles it in-process with javac, against the test
 * class path (which holds xrpc-runtime and Helidon), as the server's build would.
 */
final class GeneratedCode {

  /** The real lexicons, relative to the module directory Maven runs tests in. */
  static final Path REAL_LEXICONS = Path.of("../lexicons");

  /** The valid fixture lexicons. */
  static final Path FIXTURES = Path.of("src/test/resources/fixtures/valid");

  /** The base package fixtures are generated into. */
  static final String FIXTURE_PACKAGE = "test.generated";

  private static final Map<String, URLClassLoader> COMPILED = new java.util.HashMap<>();

  private GeneratedCode() {}

  /**
   * Compiles sources once per test run under {@code target/generated-test-compile/<name>}, so
   * several test classes can share the (slow) compilation.
   */
  static synchronized URLClassLoader compileOnce(String name, Map<String, String> sources) {
    URLClassLoader loader = COMPILED.get(name);
    if (loader == null) {
      Path dir = Path.of("target", "generated-test-compile", name);
      deleteRecursively(dir);
      loader = compile(dir, sources);
      COMPILED.put(name, loader);
    }
    return loader;
  }

  /** The fixtures, generated for every target into {@link #FIXTURE_PACKAGE} and compiled. */
  static URLClassLoader fixturesCompiled() {
    return compileOnce(
        "fixtures", generate(FIXTURES, FIXTURE_PACKAGE, EnumSet.allOf(Target.class)));
  }

  private static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Parses and generates the records and the server's routing, without writing anything. */
  static Map<String, String> generate(Path lexicons, String basePackage) {
    return new CodeGenerator(basePackage, "lexicons")
        .generate(LexiconParser.parseDirectory(lexicons));
  }

  /** Parses and generates the given targets, without writing anything. */
  static Map<String, String> generate(Path lexicons, String basePackage, Set<Target> targets) {
    return new CodeGenerator(basePackage, "lexicons")
        .generate(LexiconParser.parseDirectory(lexicons), targets);
  }

  /**
   * Writes sources under {@code dir/src}, compiles them into {@code dir/classes} with {@code
   * --release 21 -Xlint:all -Werror}, and returns a class loader over the result. Fails the test
   * with javac's diagnostics if compilation fails.
   *
   * @param dir a scratch directory
   * @param sources relative paths and contents
   */
  static URLClassLoader compile(Path dir, Map<String, String> sources) {
    try {
      Path src = dir.resolve("src");
      Path classes = Files.createDirectories(dir.resolve("classes"));
      List<File> files = new ArrayList<>();
      for (Map.Entry<String, String> source : sources.entrySet()) {
        Path path = src.resolve(source.getKey());
        Files.createDirectories(path.getParent());
        Files.writeString(path, source.getValue(), StandardCharsets.UTF_8);
        files.add(path.toFile());
      }
      JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
      DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
      StringWriter output = new StringWriter();
      try (StandardJavaFileManager fileManager =
          javac.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
        List<String> options =
            List.of(
                "--release",
                "21",
                "-proc:none",
                "-Xlint:all",
                "-Werror",
                "-encoding",
                "UTF-8",
                "-classpath",
                testClassPath(),
                "-d",
                classes.toString());
        boolean ok =
            javac
                .getTask(
                    output,
                    fileManager,
                    diagnostics,
                    options,
                    null,
                    fileManager.getJavaFileObjectsFromFiles(files))
                .call();
        if (!ok) {
          StringBuilder message = new StringBuilder("Generated code does not compile:\n");
          diagnostics.getDiagnostics().forEach(d -> message.append(d).append('\n'));
          fail(message.append(output).toString());
        }
      }
      return new URLClassLoader(
          new URL[] {classes.toUri().toURL()}, GeneratedCode.class.getClassLoader());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads a test resource as text. */
  static String resource(String name) {
    try (var in = GeneratedCode.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("Missing test resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** All files under a directory, for tests that look at what was written. */
  static List<Path> filesUnder(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      return paths.filter(Files::isRegularFile).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The test class path. Surefire may start the JVM with a single manifest-only jar whose {@code
   * Class-Path} attribute lists the real entries; javac needs those.
   */
  private static String testClassPath() throws IOException {
    Set<String> entries = new LinkedHashSet<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator, -1)) {
      entries.add(entry);
      if (entry.endsWith(".jar")) {
        entries.addAll(manifestClassPath(Path.of(entry)));
      }
    }
    return String.join(File.pathSeparator, entries);
  }

  private static List<String> manifestClassPath(Path jar) throws IOException {
    if (!Files.isRegularFile(jar)) {
      return List.of();
    }
    try (JarFile file = new JarFile(jar.toFile())) {
      Manifest manifest = file.getManifest();
      String classPath =
          manifest == null ? null : manifest.getMainAttributes().getValue("Class-Path");
      if (classPath == null) {
        return List.of();
      }
      List<String> entries = new ArrayList<>();
      URI base = jar.toUri();
      for (String item : classPath.trim().split("\\s+", -1)) {
        try {
          entries.add(Path.of(base.resolve(item).toURL().toURI()).toString());
        } catch (MalformedURLException | java.net.URISyntaxException e) {
          throw new IOException("Bad Class-Path entry " + item, e);
        }
      }
      return entries;
    }
  }
}
