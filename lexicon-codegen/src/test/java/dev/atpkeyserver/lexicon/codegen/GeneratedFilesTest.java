package dev.atpkeyserver.lexicon.codegen;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GeneratedFilesTest {

  private static final String HEADER =
      "// Generated from lexicons/a/b/c.json by atp-keyserver lexicon-codegen. Do not edit.\n";

  @TempDir Path out;

  @Test
  void writesFilesCreatingDirectories() throws IOException {
    GeneratedFiles.Result result =
        GeneratedFiles.write(out.resolve("new"), Map.of("p/q/A.java", HEADER + "class A {}\n"));
    assertThat(result, is(new GeneratedFiles.Result(1, 0, 0)));
    assertThat(Files.readString(out.resolve("new/p/q/A.java")), is(HEADER + "class A {}\n"));
  }

  @Test
  void deletesStaleGeneratedFilesAndTheirEmptyDirectories() throws IOException {
    GeneratedFiles.write(
        out, Map.of("p/A.java", HEADER + "class A {}\n", "p/old/B.java", HEADER + "class B {}\n"));
    GeneratedFiles.Result result =
        GeneratedFiles.write(out, Map.of("p/A.java", HEADER + "class A {}\n"));
    assertThat(result, is(new GeneratedFiles.Result(0, 1, 1)));
    assertThat(Files.exists(out.resolve("p/old")), is(false));
    assertThat(GeneratedCode.filesUnder(out), is(List.of(out.resolve("p/A.java"))));
  }

  @Test
  void neverDeletesFilesItDidNotGenerate() throws IOException {
    Files.createDirectories(out.resolve("p"));
    Files.writeString(out.resolve("p/Hand.java"), "// Written by hand.\nclass Hand {}\n");
    Files.writeString(out.resolve("p/notes.txt"), HEADER);
    Files.writeString(out.resolve("p/Other.java"), "// Generated from elsewhere.\n");
    GeneratedFiles.Result result = GeneratedFiles.write(out, Map.of());
    assertThat(result, is(new GeneratedFiles.Result(0, 0, 0)));
    assertThat(GeneratedCode.filesUnder(out).size(), is(3));
  }

  @Test
  void leavesUnchangedFilesUntouched() throws IOException {
    GeneratedFiles.write(out, Map.of("A.java", HEADER + "class A {}\n"));
    FileTime old = FileTime.fromMillis(1_000_000_000_000L);
    Files.setLastModifiedTime(out.resolve("A.java"), old);
    GeneratedFiles.Result same =
        GeneratedFiles.write(out, Map.of("A.java", HEADER + "class A {}\n"));
    assertThat(same, is(new GeneratedFiles.Result(0, 0, 1)));
    assertThat(Files.getLastModifiedTime(out.resolve("A.java")), is(old));
    GeneratedFiles.Result changed =
        GeneratedFiles.write(out, Map.of("A.java", HEADER + "class A { int x; }\n"));
    assertThat(changed, is(new GeneratedFiles.Result(1, 0, 0)));
  }
}
