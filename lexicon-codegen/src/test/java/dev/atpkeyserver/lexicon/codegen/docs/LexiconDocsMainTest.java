package dev.atpkeyserver.lexicon.codegen.docs;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LexiconDocsMainTest {

  private static final String LEXICONS = "../lexicons";
  private static final String RULE = LexiconDocsMainTest.class.getName() + "#onlyGetPublicKey";

  @TempDir Path dir;

  /** The public-method rule the tests pass by name, as the server passes XrpcAuthPolicy's. */
  public static boolean onlyGetPublicKey(String nsid) {
    return nsid.equals("dev.atpkeyserver.alpha.keypair.getPublicKey");
  }

  /** Not usable as a rule: it is not static. */
  public boolean notStatic(String nsid) {
    return nsid.isEmpty();
  }

  private String[] args(Path page, String mode) {
    return new String[] {LEXICONS, page.toString(), mode, RULE, "regen-command"};
  }

  @Test
  void writesThePageThenAcceptsItInCheckMode() throws IOException {
    Path page = dir.resolve("docs/lexicons.md");
    LexiconDocsMain.main(args(page, "write"));

    String text = Files.readString(page, StandardCharsets.UTF_8);
    assertThat(text, containsString("then run regen-command. -->"));
    assertThat(
        text,
        containsString(
            "`GET /xrpc/dev.atpkeyserver.alpha.keypair.getPublicKey` · query · auth: none\n"));
    assertThat(
        text,
        containsString(
            "`GET /xrpc/dev.atpkeyserver.alpha.keypair.getKeypair` · query · auth: service"
                + " auth\n"));

    LexiconDocsMain.main(args(page, "check"));
    Files.writeString(page, text.replace("\n", "\r\n"), StandardCharsets.UTF_8);
    LexiconDocsMain.main(args(page, "check"));
  }

  @Test
  void checkFailsOnAStaleOrMissingPageAndNamesTheCommand() throws IOException {
    Path page = dir.resolve("lexicons.md");
    LexiconDocsMain.main(args(page, "write"));
    String text = Files.readString(page, StandardCharsets.UTF_8);
    Files.writeString(page, text.replace("Maximum number", "Max number"), StandardCharsets.UTF_8);

    IllegalStateException stale =
        assertThrows(IllegalStateException.class, () -> LexiconDocsMain.main(args(page, "check")));
    assertThat(stale.getMessage(), containsString(page + " is out of date with the lexicons in "));
    assertThat(
        stale.getMessage(),
        containsString("regenerate it with regen-command and commit the result"));
    assertThat(Files.readString(page, StandardCharsets.UTF_8).contains("Max number"), is(true));

    Path missing = dir.resolve("missing.md");
    assertThrows(IllegalStateException.class, () -> LexiconDocsMain.main(args(missing, "check")));
    assertThat(Files.exists(missing), is(false));
  }

  @Test
  void refusesWrongArguments() {
    Path page = dir.resolve("x.md");
    assertThrows(
        IllegalArgumentException.class,
        () -> LexiconDocsMain.main(new String[] {LEXICONS, page.toString(), "check"}));
    assertThrows(
        IllegalArgumentException.class, () -> LexiconDocsMain.main(args(page, "overwrite")));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            LexiconDocsMain.main(
                new String[] {dir.resolve("none").toString(), page.toString(), "write", RULE}));
  }

  @Test
  void refusesARuleThatIsNotAStaticBooleanMethodOfOneString() {
    String type = LexiconDocsMainTest.class.getName();
    for (String rule :
        new String[] {
          "noHash", type + "#", "#x", type + "#notStatic", type + "#missing", "no.Such#thing"
        }) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> LexiconDocsMain.staticPredicate(rule));
      assertThat(e.getMessage(), containsString(rule));
    }
    assertThat(LexiconDocsMain.staticPredicate(RULE).test("x"), is(false));
  }
}
