package dev.atpkeyserver.lexicon.codegen.docs;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import dev.atpkeyserver.lexicon.codegen.LexiconParser;
import dev.atpkeyserver.lexicon.codegen.model.Lexicons;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The method reference's text: golden rows from the real lexicons and from the fixtures. */
class LexiconDocsTest {

  private static final String PUBLIC = "dev.atpkeyserver.alpha.keypair.getPublicKey";
  private static final Lexicons REAL = LexiconParser.parseDirectory(Path.of("../lexicons"));
  private static final Lexicons FIXTURES =
      LexiconParser.parseDirectory(Path.of("src/test/resources/fixtures/valid"));

  private static final LexiconDocs DOCS =
      new LexiconDocs("lexicons", PUBLIC::equals, "Policy#isPublic", Optional.of("make docs"));

  private static final String REAL_PAGE = DOCS.render(REAL);
  private static final String FIXTURE_PAGE = DOCS.render(FIXTURES);

  @Test
  void startsWithTheGeneratedMarkerAndTheRegenerateCommand() {
    assertThat(
        REAL_PAGE,
        startsWith(
            "<!-- Generated from lexicons/ by atp-keyserver lexicon-codegen. Do not edit: change"
                + " the lexicons, then run make docs. -->\n\n# Lexicon method reference\n"));
    assertThat(REAL_PAGE, containsString("The generator reads this from `Policy#isPublic`."));
  }

  @Test
  void indexesEveryMethodWithItsHttpVerbAndAuth() {
    assertThat(
        REAL_PAGE,
        containsString(
            "| [`dev.atpkeyserver.alpha.group.getKey`](#dev.atpkeyserver.alpha.group.getKey) | GET"
                + " | service auth | Get a group's symmetric key for encryption and decryption. |\n"));
    assertThat(
        REAL_PAGE,
        containsString(
            "| [`"
                + PUBLIC
                + "`](#"
                + PUBLIC
                + ") | GET | none | Get any user's public key, without authentication; used to"
                + " encrypt messages to that user. |\n"));
    assertThat(
        REAL_PAGE,
        containsString(
            "`POST /xrpc/dev.atpkeyserver.alpha.keypair.rotate` · procedure · auth: service"
                + " auth\n"));
    for (var document : REAL.methods()) {
      assertThat(REAL_PAGE, containsString("\n## " + document.id() + "\n"));
    }
  }

  @Test
  void writesParametersOutputAndErrorsWithConstraints() {
    assertThat(
        REAL_PAGE,
        containsString(
            "| parameter | type | required | constraints | description |\n"
                + "|---|---|---|---|---|\n"
                + "| `limit` | integer | no | minimum 1, maximum 1000, default 50 | Maximum number"
                + " of log entries to return. |\n"));
    assertThat(
        REAL_PAGE,
        containsString(
            "| `logs` | array of [`dev.atpkeyserver.alpha.defs#accessLog`]"
                + "(#def-dev.atpkeyserver.alpha.defs-accessLog) | yes |  | Log entries, newest"
                + " first, at most 'limit' of them. |\n"));
    assertThat(
        REAL_PAGE,
        containsString(
            "| `reason` | string | no | known values `suspected_compromise`, `routine_rotation`,"
                + " `user_requested`, default `user_requested` | Rotation reason;"
                + " user_requested when omitted. |\n"));
    assertThat(
        REAL_PAGE,
        containsString(
            """
            | error | description |
            |---|---|
            | `InvalidLimit` | The limit is not an integer between 1 and 1000 (400). |
            """));
  }

  @Test
  void describesTheReferencedObjectsAndEveryLinkHasATarget() {
    assertThat(
        REAL_PAGE,
        containsString(
            """
            <a id="def-dev.atpkeyserver.alpha.defs-keyVersion"></a>

            ### dev.atpkeyserver.alpha.defs#keyVersion
            """));
    assertThat(
        REAL_PAGE,
        containsString(
            "| `revoked_at` | string (datetime) | yes, may be null |  | When this version was"
                + " revoked; null while it is still active. |\n"));

    Set<String> anchors = matches(REAL_PAGE, "<a id=\"([^\"]+)\"></a>");
    List<String> dangling = new ArrayList<>(matches(REAL_PAGE, "\\]\\(#([^)]+)\\)"));
    dangling.removeAll(anchors);
    assertThat(dangling, is(empty()));
  }

  @Test
  void rendersEveryKindOfConstraint() {
    assertThat(
        FIXTURE_PAGE,
        containsString(
            "| `tags` | array of string | no | at most 3 items, each item: maxLength 2 |  |\n"));
    assertThat(FIXTURE_PAGE, containsString("| `class` | integer | no | one of 1, 2, 3 |  |\n"));
    assertThat(FIXTURE_PAGE, containsString("| `hash-code` | boolean | no | always `true` |  |\n"));
    assertThat(FIXTURE_PAGE, containsString("| `right` | boolean | no | default `false` |  |\n"));
    assertThat(
        FIXTURE_PAGE, containsString("| `handle` | string (handle) | no | minLength 3 |  |\n"));
    assertThat(FIXTURE_PAGE, containsString("| `out` | string | no | one of `x`, `y` |  |\n"));
    assertThat(
        FIXTURE_PAGE,
        containsString(
            "| `default` | string | yes | always `quote \" backslash \\ newline \\n unicode é"
                + " \\u0022` |  |\n"));
    assertThat(FIXTURE_PAGE, containsString("| `note` | string | yes, may be null |  |  |\n"));
  }

  @Test
  void saysWhatAMethodDoesNotHave() {
    String fail = section(FIXTURE_PAGE, "com.example.fixture.fail");
    assertThat(fail, containsString("### Parameters\n\nNone.\n"));
    assertThat(fail, not(containsString("### Input")));
    assertThat(fail, containsString("| `AlreadyExists` |  |\n"));

    String submit = section(FIXTURE_PAGE, "com.example.fixture.submit");
    assertThat(submit, containsString("### Errors\n\nNone declared.\n"));
    assertThat(
        section(FIXTURE_PAGE, "com.example.fixture.update"),
        containsString("### Parameters\n\n| parameter |"));
  }

  @Test
  void keepsLexiconTextFromBreakingTablesOrBecomingMarkup() {
    assertThat(
        FIXTURE_PAGE,
        containsString(
            "Ends a comment */ early? Starts a tag @param? Unicode escape \\u000a?"
                + " &lt;b&gt;HTML&lt;/b&gt; &amp; {@code braces}.\n"));
    Lexicons piped =
        LexiconParser.parse(
            List.of(
                new LexiconParser.Source(
                    "x/com/example/pipe.json",
                    "com/example/pipe.json",
                    """
                    {"lexicon": 1, "id": "com.example.pipe", "defs": {"main": {
                      "type": "query",
                      "description": "Splits a | b.\\nSecond line.",
                      "output": {"encoding": "application/json", "schema": {
                        "type": "object", "properties": {
                          "v": {"type": "string", "const": "a|b", "description": "x | y"}}}}}}}
                    """)));
    String page = DOCS.render(piped);
    assertThat(page, containsString("| GET | service auth | Splits a \\| b. |\n"));
    assertThat(page, containsString("Splits a | b. Second line.\n"));
    assertThat(page, containsString("| `v` | string | no | always `a\\|b` | x \\| y |\n"));
  }

  @Test
  void isDeterministicAndEndsWithOneLineBreak() {
    assertThat(DOCS.render(REAL), is(REAL_PAGE));
    assertThat(REAL_PAGE, endsWith("|\n"));
    assertThat(REAL_PAGE, not(endsWith("\n\n")));
    assertThat(REAL_PAGE, not(containsString("\n\n\n")));
  }

  /** The text of one method's section, up to the next method or the definitions. */
  private static String section(String page, String nsid) {
    int start = page.indexOf("\n## " + nsid + "\n");
    assertThat("section " + nsid, start >= 0, is(true));
    int end = page.indexOf("\n## ", start + 1);
    return page.substring(start, end < 0 ? page.length() : end);
  }

  private static Set<String> matches(String text, String regex) {
    Set<String> found = new LinkedHashSet<>();
    Matcher matcher = Pattern.compile(regex).matcher(text);
    while (matcher.find()) {
      found.add(matcher.group(1));
    }
    return found;
  }
}
