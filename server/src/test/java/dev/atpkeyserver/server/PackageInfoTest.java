package dev.atpkeyserver.server;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every package of main code, in every module of the build and in generated code, has a {@code
 * package-info.java} whose Javadoc says what the package is for. It lives in the server because the
 * server is built last, when every module's sources are in place; it reads the module list from the
 * root pom, so a new module is checked without editing this test. A module may have no hand-written
 * sources (the client is all generated); generated sources are checked where a module has built
 * them, and the server's own always.
 */
class PackageInfoTest {

  private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");
  private static final Pattern DECLARATION = Pattern.compile("(?m)^package\\s");

  @Test
  void everyMainPackageHasAPackageInfoWithJavadoc() throws IOException {
    Path root = repositoryRoot();
    List<String> modules = modules(root);
    assertThat(modules, hasItems("lexicon-codegen", "xrpc-runtime", "did-resolver", "server"));

    Path serverGenerated = generatedSources();
    assertThat(serverGenerated + " exists", Files.isDirectory(serverGenerated), is(true));
    Set<Path> sourceRoots = new LinkedHashSet<>();
    sourceRoots.add(serverGenerated.toAbsolutePath().normalize());
    for (String module : modules) {
      Path main = root.resolve(module).resolve("src/main/java");
      if (Files.isDirectory(main)) {
        sourceRoots.add(main);
      }
      Path generated = root.resolve(module).resolve("target/generated-sources");
      if (Files.isDirectory(generated)) {
        try (Stream<Path> dirs = Files.list(generated)) {
          dirs.filter(Files::isDirectory)
              .map(dir -> dir.toAbsolutePath().normalize())
              .forEach(sourceRoots::add);
        }
      }
    }
    assertThat(
        "hand-written source roots found",
        sourceRoots.stream().filter(dir -> dir.endsWith("src/main/java")).count(),
        greaterThanOrEqualTo(4L));

    List<String> problems = new ArrayList<>();
    for (Path sourceRoot : sourceRoots) {
      problems.addAll(packagesWithoutPackageInfo(sourceRoot));
    }
    assertThat(
        "packages without a package-info.java holding a Javadoc comment", problems, is(empty()));
  }

  @Test
  void namesAPackageWithoutPackageInfoAndOneWithoutJavadoc(@TempDir Path sourceRoot)
      throws IOException {
    write(sourceRoot.resolve("a/Documented.java"), "package a;\nclass Documented {}\n");
    write(sourceRoot.resolve("a/package-info.java"), "/** Documented things. */\npackage a;\n");
    write(sourceRoot.resolve("a/b/Bare.java"), "package a.b;\nclass Bare {}\n");
    write(sourceRoot.resolve("c/Quiet.java"), "package c;\nclass Quiet {}\n");
    write(sourceRoot.resolve("c/package-info.java"), "// not Javadoc\npackage c;\n");
    Files.createDirectories(sourceRoot.resolve("d/only/folders"));

    assertThat(
        packagesWithoutPackageInfo(sourceRoot),
        contains(
            sourceRoot.resolve("a/b") + ": no package-info.java",
            sourceRoot.resolve("c/package-info.java") + ": no Javadoc comment"));
  }

  /** The directories under {@code sourceRoot} that hold Java files but no documented package. */
  private static List<String> packagesWithoutPackageInfo(Path sourceRoot) throws IOException {
    try (Stream<Path> files = Files.walk(sourceRoot)) {
      return files
          .filter(file -> file.getFileName().toString().endsWith(".java"))
          .map(Path::getParent)
          .distinct()
          .sorted()
          .map(PackageInfoTest::problem)
          .filter(Objects::nonNull)
          .toList();
    }
  }

  private static String problem(Path packageDir) {
    Path info = packageDir.resolve("package-info.java");
    if (!Files.isRegularFile(info)) {
      return packageDir + ": no package-info.java";
    }
    try {
      String text = Files.readString(info, StandardCharsets.UTF_8);
      Matcher declaration = DECLARATION.matcher(text);
      int javadoc = text.indexOf("/**");
      boolean documented = javadoc >= 0 && declaration.find() && javadoc < declaration.start();
      return documented ? null : info + ": no Javadoc comment";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> modules(Path root) throws IOException {
    Matcher matcher =
        MODULE.matcher(Files.readString(root.resolve("pom.xml"), StandardCharsets.UTF_8));
    List<String> modules = new ArrayList<>();
    while (matcher.find()) {
      modules.add(matcher.group(1).strip());
    }
    return modules;
  }

  private static Path generatedSources() {
    String dir = System.getProperty("keyserver.test.generated-sources");
    if (dir == null) {
      throw new IllegalStateException(
          "keyserver.test.generated-sources is not set: run this test through Maven");
    }
    return Path.of(dir);
  }

  private static Path repositoryRoot() {
    Path here = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    for (Path candidate = here; candidate != null; candidate = candidate.getParent()) {
      if (Files.isRegularFile(candidate.resolve("pom.xml"))
          && Files.isDirectory(candidate.resolve("server"))) {
        return candidate;
      }
    }
    throw new IllegalStateException("the repository root is not above " + here);
  }

  private static void write(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }
}
