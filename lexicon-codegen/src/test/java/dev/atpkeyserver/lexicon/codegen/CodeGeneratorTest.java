package dev.atpkeyserver.lexicon.codegen;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.atpkeyserver.lexicon.codegen.emit.CodeGenerator;
import dev.atpkeyserver.lexicon.codegen.emit.Target;
import dev.atpkeyserver.lexicon.codegen.model.Lexicons;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.hamcrest.Matcher;
import org.junit.jupiter.api.Test;

/** Golden-ish checks of the generated text: the shapes the server codes against. */
class CodeGeneratorTest {

  private static final String BASE = "dev/atpkeyserver/lexicon/";
  private static final Map<String, String> REAL =
      GeneratedCode.generate(GeneratedCode.REAL_LEXICONS, "dev.atpkeyserver.lexicon");

  private static String file(String path) {
    String source = REAL.get(BASE + path);
    if (source == null) {
      throw new AssertionError("Not generated: " + path + " (have " + REAL.keySet() + ")");
    }
    return source;
  }

  @Test
  void generatesOneClassPerMethodAndDefinitionsDocumentPlusRouting() {
    assertThat(
        List.copyOf(REAL.keySet()),
        is(
            List.of(
                BASE + "XrpcHandlers.java",
                BASE + "XrpcRoutes.java",
                BASE + "alpha/Defs.java",
                BASE + "alpha/accessLogs/GetLogs.java",
                BASE + "alpha/accessLogs/package-info.java",
                BASE + "alpha/account/Delete.java",
                BASE + "alpha/account/package-info.java",
                BASE + "alpha/device/ClaimBundles.java",
                BASE + "alpha/device/Defs.java",
                BASE + "alpha/device/List.java",
                BASE + "alpha/device/Register.java",
                BASE + "alpha/device/Revoke.java",
                BASE + "alpha/device/UploadPreKeys.java",
                BASE + "alpha/device/package-info.java",
                BASE + "alpha/group/AddMember.java",
                BASE + "alpha/group/GetKey.java",
                BASE + "alpha/group/ListVersions.java",
                BASE + "alpha/group/RemoveMember.java",
                BASE + "alpha/group/RotateKey.java",
                BASE + "alpha/group/package-info.java",
                BASE + "alpha/keypair/GetKeypair.java",
                BASE + "alpha/keypair/GetPublicKey.java",
                BASE + "alpha/keypair/ListVersions.java",
                BASE + "alpha/keypair/Rotate.java",
                BASE + "alpha/keypair/package-info.java",
                BASE + "alpha/package-info.java",
                BASE + "package-info.java")));
  }

  @Test
  void marksEveryFileAsGenerated() {
    REAL.forEach(
        (path, source) -> {
          String first = source.lines().findFirst().orElseThrow();
          assertThat(path, first, startsWith("// Generated from lexicons/"));
          assertThat(
              path, first, containsString(" by atp-keyserver lexicon-codegen. Do not edit."));
          assertThat(
              path,
              source.contains("@Generated(\"atp-keyserver-lexicon-codegen\")")
                  || source.contains(
                      "@javax.annotation.processing.Generated(\"atp-keyserver-lexicon-codegen\")"),
              is(true));
        });
    assertThat(
        file("alpha/group/GetKey.java"),
        startsWith(
            "// Generated from lexicons/dev/atpkeyserver/alpha/group/getKey.json by"
                + " atp-keyserver lexicon-codegen. Do not edit.\n"
                + "package dev.atpkeyserver.lexicon.alpha.group;\n"));
  }

  @Test
  void generatesTheRecordShapesTheServerCodesAgainst() {
    assertThat(
        file("alpha/keypair/GetPublicKey.java"),
        containsAll(
            "public static final String NSID = \"dev.atpkeyserver.alpha.keypair.getPublicKey\";",
            "public static final XrpcMethod METHOD = new XrpcMethod(NSID, XrpcMethod.Kind.QUERY);",
            "public record Params(String did, Optional<Long> version) implements QueryWritable {",
            "public record Output(String publicKey, long version) implements JsonWritable {",
            "Output handle(Params params, XrpcCall call);"));
    assertThat(
        file("alpha/keypair/GetKeypair.java"),
        containsAll(
            "public record Params(Optional<Long> version) implements QueryWritable {",
            "public record Output(String publicKey, String privateKey, long version) implements"
                + " JsonWritable {",
            "Output handle(Params params, XrpcCall call);"));
    assertThat(
        file("alpha/keypair/Rotate.java"),
        containsAll(
            "METHOD = new XrpcMethod(NSID, XrpcMethod.Kind.PROCEDURE);",
            "public record Input(String reason) implements JsonWritable {",
            "public record Output(long oldVersion, long newVersion, Instant rotatedAt) implements"
                + " JsonWritable {",
            "Output handle(Input input, XrpcCall call);"));
    assertThat(
        file("alpha/keypair/ListVersions.java"),
        containsAll(
            "public record Params(Optional<Long> limit, Optional<String> cursor) implements QueryWritable {",
            "public record Output(List<Defs.KeyVersion> versions, Optional<String> cursor)"
                + " implements JsonWritable {",
            "Output handle(Params params, XrpcCall call);"));
    assertThat(
        file("alpha/accessLogs/GetLogs.java"),
        containsAll(
            "public record Params(long limit, Optional<String> cursor) implements QueryWritable {",
            "params.optional(\"limit\", LIMIT).orElse(50L)",
            "public record Output(List<Defs.AccessLog> logs, Optional<String> cursor) implements"
                + " JsonWritable {"));
    assertThat(
        file("alpha/account/Delete.java"),
        containsAll(
            "public record Input(String confirmation) implements JsonWritable {",
            "StringRule.any().constValue(\"DELETE_ALL_MY_DATA\")",
            "public record Output(long keys, long groups, long memberships, long accessLogs, long"
                + " devices, long preKeys) implements JsonWritable {"));
    assertThat(
        file("alpha/group/GetKey.java"),
        containsAll(
            "public record Params(String groupId, Optional<Long> version) implements QueryWritable {",
            "params.required(\"group_id\", GROUP_ID)",
            "public record Output(String groupId, String secretKey, long version) implements"
                + " JsonWritable {"));
    assertThat(
        file("alpha/group/RotateKey.java"),
        containsAll(
            "public record Input(String groupId, String reason) implements JsonWritable {",
            "fields.optional(\"reason\", REASON).orElse(\"user_requested\")",
            "public record Output(String groupId, long oldVersion, long newVersion, Instant"
                + " rotatedAt) implements JsonWritable {"));
    assertThat(
        file("alpha/group/ListVersions.java"),
        containsAll(
            "public record Params(String groupId, Optional<Long> limit, Optional<String> cursor)"
                + " implements QueryWritable {",
            "public record Output(String groupId, List<Defs.KeyVersion> versions, Optional<String>"
                + " cursor) implements JsonWritable {"));
    for (String name : List.of("AddMember", "RemoveMember")) {
      assertThat(
          file("alpha/group/" + name + ".java"),
          containsAll(
              "public record Input(String groupId, String memberDid) implements JsonWritable {",
              "StringRule.any().format(StringFormat.DID)",
              "public record Output(String groupId, String memberDid, String status) implements"
                  + " JsonWritable {",
              "Output handle(Input input, XrpcCall call);"));
    }
    assertThat(
        file("alpha/Defs.java"),
        containsAll(
            "public final class Defs {",
            "public record AccessLog(long version, Instant accessedAt, Optional<String> ip,"
                + " Optional<String> userAgent, Optional<String> keyType, Optional<String>"
                + " groupId, Optional<String> deviceId, Optional<String> accessorDid) implements"
                + " JsonWritable {",
            "public record KeyVersion(long version, String status, Instant createdAt,"
                + " Optional<Instant> revokedAt) implements JsonWritable {",
            "fields.requiredNullable(\"revoked_at\", REVOKED_AT)"));
  }

  @Test
  void writesRequiredNullableFieldsAsNullAndOmitsAbsentOptionalOnes() {
    String defs = file("alpha/Defs.java");
    assertThat(
        defs,
        containsString(
            """
                  out.name("revoked_at");
                  if (this.revokedAt.isPresent()) {
                    out.value(this.revokedAt.get());
                  } else {
                    out.nullValue();
                  }
            """));
    assertThat(
        defs,
        containsString(
            """
                  if (this.keyType.isPresent()) {
                    out.name("key_type");
                    out.value(this.keyType.get());
                  }
            """));
  }

  @Test
  void redactsKeyMaterialInToString() {
    assertThat(
        file("alpha/group/GetKey.java"),
        containsString(
            "return \"Output[\" + \"groupId=\" + groupId + \", \" + \"secretKey=<redacted>\" +"
                + " \", \" + \"version=\" + version + \"]\";"));
    assertThat(file("alpha/keypair/GetKeypair.java"), containsString("privateKey=<redacted>"));
    assertThat(file("alpha/keypair/GetPublicKey.java"), not(containsString("toString()")));
  }

  @Test
  void generatesOneHandlerComponentPerMethodSortedByNsid() {
    assertThat(
        file("XrpcHandlers.java"),
        containsString(
            "public record XrpcHandlers(\n"
                + "    dev.atpkeyserver.lexicon.alpha.accessLogs.GetLogs.Handler accessLogsGetLogs,\n"
                + "    dev.atpkeyserver.lexicon.alpha.account.Delete.Handler accountDelete,\n"
                + "    dev.atpkeyserver.lexicon.alpha.device.ClaimBundles.Handler"
                + " deviceClaimBundles,\n"
                + "    dev.atpkeyserver.lexicon.alpha.device.List.Handler deviceList,\n"
                + "    dev.atpkeyserver.lexicon.alpha.device.Register.Handler deviceRegister,\n"
                + "    dev.atpkeyserver.lexicon.alpha.device.Revoke.Handler deviceRevoke,\n"
                + "    dev.atpkeyserver.lexicon.alpha.device.UploadPreKeys.Handler"
                + " deviceUploadPreKeys,\n"
                + "    dev.atpkeyserver.lexicon.alpha.group.AddMember.Handler groupAddMember,\n"
                + "    dev.atpkeyserver.lexicon.alpha.group.GetKey.Handler groupGetKey,\n"
                + "    dev.atpkeyserver.lexicon.alpha.group.ListVersions.Handler groupListVersions,\n"
                + "    dev.atpkeyserver.lexicon.alpha.group.RemoveMember.Handler groupRemoveMember,\n"
                + "    dev.atpkeyserver.lexicon.alpha.group.RotateKey.Handler groupRotateKey,\n"
                + "    dev.atpkeyserver.lexicon.alpha.keypair.GetKeypair.Handler keypairGetKeypair,\n"
                + "    dev.atpkeyserver.lexicon.alpha.keypair.GetPublicKey.Handler"
                + " keypairGetPublicKey,\n"
                + "    dev.atpkeyserver.lexicon.alpha.keypair.ListVersions.Handler"
                + " keypairListVersions,\n"
                + "    dev.atpkeyserver.lexicon.alpha.keypair.Rotate.Handler keypairRotate) {\n"));
  }

  @Test
  void routesQueriesAsGetAndProceduresAsPostAuthenticatingFirst() {
    String routes = file("XrpcRoutes.java");
    assertThat(
        routes,
        containsAll(
            "public final class XrpcRoutes implements HttpService {",
            "public static final List<XrpcMethod> METHODS =",
            "public XrpcRoutes(XrpcAuthenticator authenticator, XrpcHandlers handlers) {",
            "public XrpcRoutes(XrpcAuthenticator authenticator, XrpcHandlers handlers, int"
                + " maxBodyBytes) {",
            "rules.get(\"/\" + dev.atpkeyserver.lexicon.alpha.group.GetKey.NSID,"
                + " this::onGroupGetKey);",
            "rules.post(\"/\" + dev.atpkeyserver.lexicon.alpha.group.AddMember.NSID,"
                + " this::onGroupAddMember);",
            "rules.any(XrpcResponses::notImplemented);"));
    assertThat(
        routes,
        containsString(
            "  private void onKeypairRotate(ServerRequest req, ServerResponse res) {\n"
                + "    XrpcCall call = authenticator.authenticate("
                + "dev.atpkeyserver.lexicon.alpha.keypair.Rotate.NSID, req);\n"
                + "    dev.atpkeyserver.lexicon.alpha.keypair.Rotate.Input input = "
                + "dev.atpkeyserver.lexicon.alpha.keypair.Rotate.Input.fromJson("
                + "JsonBodies.read(req, maxBodyBytes), \"\");\n"
                + "    XrpcResponses.sendJson(res, handlers.keypairRotate().handle(input, call));\n"
                + "  }\n"));
  }

  @Test
  void isDeterministicWhateverTheInputOrder() throws IOException {
    List<LexiconParser.Source> sources = new ArrayList<>();
    Path root = GeneratedCode.REAL_LEXICONS;
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.filter(p -> p.toString().endsWith(".json")).toList()) {
        String relative = root.relativize(path).toString().replace('\\', '/');
        sources.add(
            new LexiconParser.Source("lexicons/" + relative, relative, Files.readString(path)));
      }
    }
    Collections.reverse(sources);
    Map<String, String> reversed =
        new CodeGenerator("dev.atpkeyserver.lexicon", "lexicons")
            .generate(LexiconParser.parse(sources));
    assertThat(reversed, is(REAL));
    assertThat(
        GeneratedCode.generate(GeneratedCode.REAL_LEXICONS, "dev.atpkeyserver.lexicon"), is(REAL));
  }

  @Test
  void escapesLexiconTextInJavadocAndLiterals() {
    Map<String, String> fixtures =
        GeneratedCode.generate(GeneratedCode.FIXTURES, GeneratedCode.FIXTURE_PACKAGE);
    String odd = fixtures.get("test/generated/fixture/my_ns/GetOdd.java");
    assertThat(
        odd,
        containsAll(
            "Ends a comment *&#47; early? Starts a tag &#64;param?",
            "Unicode escape &#92;u000a? &lt;b&gt;HTML&lt;/b&gt; &amp; {&#64;code braces}.",
            "constValue(\"quote \\\" backslash \\\\ newline \\n unicode \\u00e9 \\\\u0022\")",
            // Nested records named List and String shadow java.lang/java.util: qualified names.
            "public static final java.lang.String NSID",
            "Optional<List> list, Optional<String> string",
            "java.lang.String default_, Optional<Long> class_, Optional<Boolean> hashCode_"));
    assertThat(odd.chars().allMatch(c -> c < 0x80), is(true));
  }

  @Test
  void honoursTheBasePackage() {
    Map<String, String> fixtures =
        GeneratedCode.generate(GeneratedCode.FIXTURES, GeneratedCode.FIXTURE_PACKAGE);
    assertThat(
        List.copyOf(fixtures.keySet()),
        is(
            List.of(
                "test/generated/XrpcHandlers.java",
                "test/generated/XrpcRoutes.java",
                "test/generated/fixture/Defs.java",
                "test/generated/fixture/Echo.java",
                "test/generated/fixture/Fail.java",
                "test/generated/fixture/Submit.java",
                "test/generated/fixture/Update.java",
                "test/generated/fixture/my_ns/GetOdd.java",
                "test/generated/fixture/my_ns/package-info.java",
                "test/generated/fixture/package-info.java",
                "test/generated/package-info.java")));
    assertThat(
        fixtures.get("test/generated/fixture/Update.java"),
        containsString("Output handle(Params params, Input input, XrpcCall call);"));
  }

  @Test
  void paramsWriteEveryValueUnderItsWireNameForClients() {
    assertThat(
        file("alpha/group/GetKey.java"),
        containsString(
            """
                public void writeQuery(QueryOut out) {
                  out.add("group_id", this.groupId);
                  if (this.version.isPresent()) {
                    out.add("version", this.version.get());
                  }
                }
            """));
    // A parameter with a default is a plain value, so it is always sent.
    assertThat(
        file("alpha/accessLogs/GetLogs.java"),
        containsString("      out.add(\"limit\", this.limit);\n"));
    Map<String, String> fixtures =
        GeneratedCode.generate(GeneratedCode.FIXTURES, GeneratedCode.FIXTURE_PACKAGE);
    assertThat(
        fixtures.get("test/generated/fixture/Echo.java"),
        containsString(
            """
                  if (this.tags.isPresent()) {
                    for (String item : this.tags.get()) {
                      out.add("tags", item);
                    }
                  }
            """));
  }

  @Test
  void eachTargetGeneratesItsOwnFilesSoRecordsExistOnce() {
    Lexicons lexicons = LexiconParser.parseDirectory(GeneratedCode.REAL_LEXICONS);
    CodeGenerator generator = new CodeGenerator("dev.atpkeyserver.lexicon", "lexicons");
    Map<String, String> records = generator.generate(lexicons, EnumSet.of(Target.RECORDS));
    Map<String, String> server = generator.generate(lexicons, EnumSet.of(Target.SERVER));
    Map<String, String> client = generator.generate(lexicons, EnumSet.of(Target.CLIENT));

    assertThat(
        List.copyOf(server.keySet()),
        is(
            List.of(
                BASE + "XrpcHandlers.java", BASE + "XrpcRoutes.java", BASE + "package-info.java")));
    assertThat(
        List.copyOf(client.keySet()),
        is(List.of(BASE + "client/KeyserverClient.java", BASE + "client/package-info.java")));
    assertThat(records.size(), is(REAL.size() - 3));
    // The default (records and server) is exactly records plus server, file for file.
    Map<String, String> union = new TreeMap<>(records);
    union.putAll(server);
    assertThat(union, is(REAL));
    // What the client module generates and what the server generates never overlap.
    Map<String, String> clientModule =
        generator.generate(lexicons, EnumSet.of(Target.RECORDS, Target.CLIENT));
    assertThat(clientModule.keySet().stream().filter(server::containsKey).toList(), is(List.of()));
    assertThat(
        server.get(BASE + "package-info.java"), containsString("XRPC routing generated from"));
  }

  @Test
  void theClientHasOneTypedMethodPerXrpcMethod() {
    String client =
        new CodeGenerator("dev.atpkeyserver.lexicon", "lexicons")
            .generate(
                LexiconParser.parseDirectory(GeneratedCode.REAL_LEXICONS),
                EnumSet.of(Target.CLIENT))
            .get(BASE + "client/KeyserverClient.java");
    assertThat(
        client,
        containsAll(
            "package dev.atpkeyserver.lexicon.client;",
            "public final class KeyserverClient {",
            "public KeyserverClient(XrpcClient xrpc) {",
            """
              public GetKey.Output groupGetKey(GetKey.Params params) {
                return xrpc.query(GetKey.NSID, params, GetKey.Output::fromJson);
              }
            """,
            "  public Rotate.Output keypairRotate(Rotate.Input input) {\n"
                + "    return xrpc.procedure(Rotate.NSID, QueryWritable.NONE, input,"
                + " Rotate.Output::fromJson);\n"
                + "  }\n",
            // Two classes called ListVersions: the second one is written qualified.
            "  public ListVersions.Output groupListVersions(ListVersions.Params params) {",
            "  public dev.atpkeyserver.lexicon.alpha.keypair.ListVersions.Output"
                + " keypairListVersions(dev.atpkeyserver.lexicon.alpha.keypair.ListVersions.Params"
                + " params) {",
            "@throws XrpcClientException when the server answers with an error (the lexicon"
                + " declares {@code\n   *     InvalidConfirmation})"));
    assertThat(client.split("\n  public ", -1).length - 1, is(17));
    Map<String, String> fixtures =
        new CodeGenerator(GeneratedCode.FIXTURE_PACKAGE, "lexicons")
            .generate(
                LexiconParser.parseDirectory(GeneratedCode.FIXTURES), EnumSet.of(Target.CLIENT));
    assertThat(
        fixtures.get("test/generated/client/KeyserverClient.java"),
        containsAll(
            "public Update.Output update(Update.Params params, Update.Input input) {",
            "return xrpc.procedure(Update.NSID, params, input, Update.Output::fromJson);"));
  }

  @Test
  void targetsParseFromTheCommandLineForm() {
    assertThat(Target.parse("records,client"), is(EnumSet.of(Target.RECORDS, Target.CLIENT)));
    assertThat(Target.parse(" SERVER "), is(EnumSet.of(Target.SERVER)));
    IllegalArgumentException unknown =
        assertThrows(IllegalArgumentException.class, () -> Target.parse("records,routes"));
    assertThat(unknown.getMessage(), containsString("Unknown target 'routes'"));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new CodeGenerator("x", "lexicons")
                .generate(
                    LexiconParser.parseDirectory(GeneratedCode.FIXTURES),
                    EnumSet.noneOf(Target.class)));
  }

  private static Matcher<String> containsAll(String... parts) {
    List<Matcher<? super String>> matchers = new ArrayList<>();
    for (String part : parts) {
      matchers.add(containsString(part));
    }
    return allOf(matchers);
  }
}
