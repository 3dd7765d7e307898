package dev.atpkeyserver.lexicon.codegen;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {

  @TempDir Path out;

  @Test
  void generatesFromTheRealLexiconsWithTheTwoArgumentCommandLine() throws IOException {
    Main.main(new String[] {GeneratedCode.REAL_LEXICONS.toString(), out.toString()});
    assertThat(
        GeneratedCode.filesUnder(out),
        hasItem(out.resolve("dev/atpkeyserver/lexicon/alpha/group/GetKey.java")));
    assertThat(GeneratedCode.filesUnder(out).size(), is(27));
    assertThat(
        Files.readString(out.resolve("dev/atpkeyserver/lexicon/XrpcRoutes.java")),
        containsString("package dev.atpkeyserver.lexicon;"));
  }

  @Test
  void acceptsABasePackageAsThirdArgument() {
    Main.main(new String[] {GeneratedCode.FIXTURES.toString(), out.toString(), "x.y"});
    assertThat(GeneratedCode.filesUnder(out), hasItem(out.resolve("x/y/XrpcRoutes.java")));
  }

  @Test
  void generatesOnlyTheTargetsItIsGiven() throws IOException {
    Path client = out.resolve("client");
    Path server = out.resolve("server");
    Main.main(
        new String[] {
          "--targets", "records,client", GeneratedCode.REAL_LEXICONS.toString(), client.toString()
        });
    Main.main(
        new String[] {
          "--targets", "server", GeneratedCode.REAL_LEXICONS.toString(), server.toString()
        });

    assertThat(
        GeneratedCode.filesUnder(client),
        hasItem(client.resolve("dev/atpkeyserver/lexicon/client/KeyserverClient.java")));
    assertThat(
        GeneratedCode.filesUnder(client),
        not(hasItem(client.resolve("dev/atpkeyserver/lexicon/XrpcRoutes.java"))));
    assertThat(GeneratedCode.filesUnder(client).size(), is(26));
    assertThat(
        GeneratedCode.filesUnder(server).stream()
            .map(p -> server.relativize(p).toString())
            .toList(),
        contains(
            "dev/atpkeyserver/lexicon/XrpcHandlers.java",
            "dev/atpkeyserver/lexicon/XrpcRoutes.java",
            "dev/atpkeyserver/lexicon/package-info.java"));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            Main.main(
                new String[] {
                  "--targets", "routes", GeneratedCode.REAL_LEXICONS.toString(), server.toString()
                }));
  }

  @Test
  void removesWhatAPreviousRunGeneratedForAnotherPackage() {
    Main.main(new String[] {GeneratedCode.FIXTURES.toString(), out.toString(), "x.y"});
    Main.main(new String[] {GeneratedCode.FIXTURES.toString(), out.toString(), "z"});
    assertThat(
        GeneratedCode.filesUnder(out).stream().allMatch(p -> out.relativize(p).startsWith("z")),
        is(true));
  }

  @Test
  void refusesWrongArguments() {
    assertThrows(IllegalArgumentException.class, () -> Main.main(new String[] {"lexicons"}));
    assertThrows(
        IllegalArgumentException.class,
        () -> Main.main(new String[] {out.resolve("missing").toString(), out.toString()}));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            Main.main(
                new String[] {GeneratedCode.FIXTURES.toString(), out.toString(), "not a package"}));
  }

  @Test
  void failsWithTheLexiconErrorAndWritesNothing() {
    Path rejected = Path.of("src/test/resources/fixtures/rejected/unknown-type");
    LexiconException e =
        assertThrows(
            LexiconException.class,
            () -> Main.main(new String[] {rejected.toString(), out.toString()}));
    assertThat(e.getMessage(), containsString("unknown-type/com/example/bad/thing.json: $.defs"));
    assertThat(GeneratedCode.filesUnder(out).isEmpty(), is(true));
  }
}
