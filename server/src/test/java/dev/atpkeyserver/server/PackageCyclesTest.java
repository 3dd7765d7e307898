package dev.atpkeyserver.server;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server's packages depend on each other one way only, so each can be read, tested and changed
 * knowing only the packages below it. A cycle of any length fails this test, naming the packages
 * and a file that makes each step.
 */
class PackageCyclesTest {

  private static final String ROOT = "dev.atpkeyserver.server";

  /** Surefire runs in the module's directory. */
  private static final Path MAIN_SOURCES = Path.of("src", "main", "java");

  @Test
  void theServersPackagesFormNoCycle() {
    PackageGraph graph = PackageGraph.read(MAIN_SOURCES, ROOT);

    // Read for real: the wiring package uses the ones it wires.
    assertThat(
        graph.uses(ROOT), hasItems(ROOT + ".http", ROOT + ".ratelimit", ROOT + ".api.group"));
    assertThat("package cycles in " + MAIN_SOURCES, graph.cycles(), empty());
  }

  @Test
  void aCycleIsNamedWithAFileForEachStep(@TempDir Path sources) throws IOException {
    write(sources, "a/A.java", "package %s.a;\nimport %s.b.B;\nclass A {}\n");
    // Fully qualified in code, and a static import of a nested type's member.
    write(sources, "b/B.java", "package %s.b;\nclass B { Object c = new %s.c.C(); }\n");
    write(sources, "c/C.java", "package %s.c;\nimport static %s.a.A.Inner.VALUE;\nclass C {}\n");
    // Only mentioned, never used: neither comments nor strings make an edge.
    write(
        sources,
        "d/D.java",
        "package %s.d;\n/** Unlike {@link %s.a.A}. */\nclass D { String s = \"%s.a.A\"; }\n");
    write(sources, "a/sub/E.java", "package %s.a.sub;\nimport %s.d.*;\nclass E {}\n");

    PackageGraph graph = PackageGraph.read(sources, ROOT);

    assertThat(graph.uses(ROOT + ".d"), empty());
    assertThat(graph.uses(ROOT + ".a.sub"), contains(ROOT + ".d"));
    assertThat(
        graph.cycles(),
        equalTo(
            List.of(
                "server.a → server.b → server.c → server.a (a/A.java uses server.b;"
                    + " b/B.java uses server.c; c/C.java uses server.a)")));
  }

  @Test
  void commentsStringsAndTextBlocksAreBlankedOut() {
    String source =
        "int a; // x.Y\n/* p.Q */ String s = \"r.\\\"S\"; char c = '\\''; String t = \"\"\"\n"
            + "  u.V \\\"\"\" w.X\"\"\"; int b;";

    assertThat(
        PackageGraph.withoutCommentsAndLiterals(source),
        equalTo("int a; \n  String s = \"\"; char c = ''; String t = \"\"; int b;"));
  }

  private static void write(Path root, String file, String template) throws IOException {
    Path path = root.resolve(ROOT.replace('.', '/')).resolve(file);
    Files.createDirectories(path.getParent());
    Files.writeString(path, template.replace("%s", ROOT));
  }
}
