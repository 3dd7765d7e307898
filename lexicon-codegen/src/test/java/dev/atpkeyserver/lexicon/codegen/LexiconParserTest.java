package dev.atpkeyserver.lexicon.codegen;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.atpkeyserver.lexicon.codegen.model.DefId;
import dev.atpkeyserver.lexicon.codegen.model.LexArray;
import dev.atpkeyserver.lexicon.codegen.model.LexDef;
import dev.atpkeyserver.lexicon.codegen.model.LexInteger;
import dev.atpkeyserver.lexicon.codegen.model.LexMethod;
import dev.atpkeyserver.lexicon.codegen.model.LexObject;
import dev.atpkeyserver.lexicon.codegen.model.LexProcedure;
import dev.atpkeyserver.lexicon.codegen.model.LexProperty;
import dev.atpkeyserver.lexicon.codegen.model.LexQuery;
import dev.atpkeyserver.lexicon.codegen.model.LexRef;
import dev.atpkeyserver.lexicon.codegen.model.LexString;
import dev.atpkeyserver.lexicon.codegen.model.LexStringFormat;
import dev.atpkeyserver.lexicon.codegen.model.LexiconDocument;
import dev.atpkeyserver.lexicon.codegen.model.Lexicons;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class LexiconParserTest {

  private static final Path REJECTED = Path.of("src/test/resources/fixtures/rejected");

  private static final Lexicons REAL = LexiconParser.parseDirectory(GeneratedCode.REAL_LEXICONS);

  private static LexMethod method(String nsid) {
    return REAL.document(nsid).orElseThrow().method().orElseThrow();
  }

  private static LexProperty property(List<LexProperty> properties, String name) {
    return properties.stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void readsEveryRealLexicon() {
    assertThat(REAL.documents(), hasSize(18));
    assertThat(
        REAL.methods().stream().map(LexiconDocument::id).toList(),
        contains(
            "dev.atpkeyserver.alpha.accessLogs.getLogs",
            "dev.atpkeyserver.alpha.account.delete",
            "dev.atpkeyserver.alpha.device.claimBundles",
            "dev.atpkeyserver.alpha.device.list",
            "dev.atpkeyserver.alpha.device.register",
            "dev.atpkeyserver.alpha.device.revoke",
            "dev.atpkeyserver.alpha.device.uploadPreKeys",
            "dev.atpkeyserver.alpha.group.addMember",
            "dev.atpkeyserver.alpha.group.getKey",
            "dev.atpkeyserver.alpha.group.listVersions",
            "dev.atpkeyserver.alpha.group.removeMember",
            "dev.atpkeyserver.alpha.group.rotateKey",
            "dev.atpkeyserver.alpha.keypair.getKeypair",
            "dev.atpkeyserver.alpha.keypair.getPublicKey",
            "dev.atpkeyserver.alpha.keypair.listVersions",
            "dev.atpkeyserver.alpha.keypair.rotate"));
  }

  @Test
  void keepsQueriesAndProceduresApart() {
    assertThat(method("dev.atpkeyserver.alpha.group.getKey"), instanceOf(LexQuery.class));
    assertThat(method("dev.atpkeyserver.alpha.group.addMember"), instanceOf(LexProcedure.class));
    assertThat(method("dev.atpkeyserver.alpha.keypair.getKeypair").input(), is(Optional.empty()));
    assertThat(method("dev.atpkeyserver.alpha.keypair.rotate").parameters(), is(Optional.empty()));
  }

  @Test
  void readsParameterConstraintsInLexiconOrder() {
    LexMethod getKey = method("dev.atpkeyserver.alpha.group.getKey");
    List<LexProperty> params = getKey.parameters().orElseThrow().properties();
    assertThat(params.stream().map(LexProperty::name).toList(), contains("group_id", "version"));
    assertThat(params.get(0).required(), is(true));
    assertThat(((LexString) params.get(0).type()).maxLength().getAsInt(), is(2149));
    LexInteger limit =
        (LexInteger)
            method("dev.atpkeyserver.alpha.accessLogs.getLogs")
                .parameters()
                .orElseThrow()
                .properties()
                .get(0)
                .type();
    assertThat(limit.minimum(), is(OptionalLong.of(1)));
    assertThat(limit.maximum(), is(OptionalLong.of(1000)));
    assertThat(limit.defaultValue(), is(OptionalLong.of(50)));
  }

  @Test
  void inlinesReferencesToStringDefinitions() {
    LexObject input =
        method("dev.atpkeyserver.alpha.keypair.rotate").input().orElseThrow().schema();
    LexString reason = (LexString) property(input.properties(), "reason").type();
    assertThat(
        reason.knownValues(),
        contains("suspected_compromise", "routine_rotation", "user_requested"));
    assertThat(reason.defaultValue(), is(Optional.of("user_requested")));
    // The description at the reference wins over the definition's own.
    assertThat(
        reason.description(), is(Optional.of("Rotation reason; user_requested when omitted.")));
  }

  @Test
  void keepsReferencesToObjectDefinitions() {
    LexObject output = method("dev.atpkeyserver.alpha.keypair.listVersions").output().schema();
    LexArray versions = (LexArray) property(output.properties(), "versions").type();
    assertThat(
        ((LexRef) versions.items()).target(),
        is(new DefId("dev.atpkeyserver.alpha.defs", "keyVersion")));
    LexDef keyVersion =
        REAL.def(new DefId("dev.atpkeyserver.alpha.defs", "keyVersion")).orElseThrow();
    LexProperty revokedAt = property(((LexObject) keyVersion).properties(), "revoked_at");
    assertThat(revokedAt.required(), is(true));
    assertThat(revokedAt.nullable(), is(true));
    assertThat(((LexString) revokedAt.type()).format(), is(Optional.of(LexStringFormat.DATETIME)));
  }

  @Test
  void readsConstAndErrors() {
    LexMethod delete = method("dev.atpkeyserver.alpha.account.delete");
    LexString confirmation =
        (LexString) delete.input().orElseThrow().schema().properties().get(0).type();
    assertThat(confirmation.constValue(), is(Optional.of("DELETE_ALL_MY_DATA")));
    assertThat(delete.errors().get(0).name(), is("InvalidConfirmation"));
  }

  @Test
  void readsTheValidFixtures() {
    Lexicons fixtures = LexiconParser.parseDirectory(GeneratedCode.FIXTURES);
    assertThat(
        fixtures.documents().stream().map(LexiconDocument::id).toList(),
        contains(
            "com.example.fixture.defs",
            "com.example.fixture.echo",
            "com.example.fixture.fail",
            "com.example.fixture.my-ns.getOdd",
            "com.example.fixture.submit",
            "com.example.fixture.update"));
    LexObject input =
        fixtures
            .document("com.example.fixture.submit")
            .orElseThrow()
            .method()
            .orElseThrow()
            .input()
            .orElseThrow()
            .schema();
    // A reference to an array definition is inlined too.
    assertThat(property(input.properties(), "labels").type(), instanceOf(LexArray.class));
    assertThat(
        ((LexRef) property(input.properties(), "pair").type()).target(),
        is(new DefId("com.example.fixture.submit", "pair")));
  }

  @Test
  void ignoresFilesThatAreNotJson() {
    // lexicons/ holds validate.mjs beside the JSON files.
    assertThat(Files.exists(GeneratedCode.REAL_LEXICONS.resolve("validate.mjs")), is(true));
    assertThat(REAL.documents(), hasSize(18));
  }

  static Stream<String> rejectedCases() throws IOException {
    try (Stream<Path> dirs = Files.list(REJECTED)) {
      return dirs.map(p -> p.getFileName().toString()).sorted().toList().stream();
    }
  }

  @ParameterizedTest
  @MethodSource("rejectedCases")
  void rejectsWithFileJsonPathAndReason(String name) throws IOException {
    String expected =
        Files.readString(REJECTED.resolve(name).resolve("expected-error.txt")).strip();
    LexiconException e =
        assertThrows(
            LexiconException.class, () -> LexiconParser.parseDirectory(REJECTED.resolve(name)));
    if (expected.endsWith("*")) {
      assertThat(e.getMessage(), startsWith(expected.substring(0, expected.length() - 1)));
    } else {
      assertThat(e.getMessage(), is(expected));
    }
    assertThat(e.getMessage(), is(e.file() + ": " + e.path() + ": " + e.reason()));
  }

  @Test
  void rejectsTwoFilesWithOneId() {
    LexiconParser.Source a =
        new LexiconParser.Source(
            "x/a/b/c.json",
            "a/b/c.json",
            "{\"lexicon\":1,\"id\":\"a.b.c\",\"defs\":{\"d\":{\"type\":\"string\"}}}");
    LexiconException e =
        assertThrows(LexiconException.class, () -> LexiconParser.parse(List.of(a, a)));
    assertThat(e.getMessage(), is("x/a/b/c.json: $.id: id 'a.b.c' is also used by x/a/b/c.json"));
  }

  @Test
  void checksNsidSyntax() {
    assertThat(LexiconParser.isValidNsid("dev.atpkeyserver.alpha.group.getKey"), is(true));
    assertThat(LexiconParser.isValidNsid("com.example.fixture.my-ns.getOdd"), is(true));
    assertThat(LexiconParser.isValidNsid("cn.8.lex.stuff"), is(true));
    assertThat(LexiconParser.isValidNsid("com.example"), is(false));
    assertThat(LexiconParser.isValidNsid("1com.example.thing"), is(false));
    assertThat(LexiconParser.isValidNsid("com.example.get-thing"), is(false));
    assertThat(LexiconParser.isValidNsid("com.example-.thing"), is(false));
  }
}
