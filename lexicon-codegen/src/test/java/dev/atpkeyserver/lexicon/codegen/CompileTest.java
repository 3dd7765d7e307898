package dev.atpkeyserver.lexicon.codegen;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import dev.atpkeyserver.lexicon.codegen.emit.Target;
import dev.atpkeyserver.xrpc.QueryWritable;
import dev.atpkeyserver.xrpc.client.XrpcClient;
import io.helidon.webserver.http.HttpService;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.net.URLClassLoader;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Compiles what the generator writes for every target (the records, the server's routing and the
 * client), in-process with javac ({@code --release 21 -Xlint:all -Werror}), against xrpc-runtime
 * and Helidon, as the client and server modules' builds will.
 */
class CompileTest {

  private static URLClassLoader real;
  private static Map<String, String> probe;

  @BeforeAll
  static void compileRealLexicons() throws Exception {
    Map<String, String> sources =
        new TreeMap<>(
            GeneratedCode.generate(
                GeneratedCode.REAL_LEXICONS,
                "dev.atpkeyserver.lexicon",
                EnumSet.allOf(Target.class)));
    sources.put(
        "probe/RealLexiconProbe.java", GeneratedCode.resource("/probes/RealLexiconProbe.java"));
    real = GeneratedCode.compileOnce("real", sources);
    @SuppressWarnings("unchecked")
    Map<String, String> results =
        (Map<String, String>)
            real.loadClass("probe.RealLexiconProbe").getMethod("results").invoke(null);
    probe = results;
  }

  private static List<String> componentNames(Class<?> record) {
    return Arrays.stream(record.getRecordComponents()).map(RecordComponent::getName).toList();
  }

  @Test
  void handlersHaveOneComponentPerLexiconMethod() throws Exception {
    Class<?> handlers = real.loadClass("dev.atpkeyserver.lexicon.XrpcHandlers");
    assertThat(handlers.isRecord(), is(true));
    assertThat(
        componentNames(handlers),
        contains(
            "accessLogsGetLogs",
            "accountDelete",
            "deviceClaimBundles",
            "deviceList",
            "deviceRegister",
            "deviceRevoke",
            "deviceUploadPreKeys",
            "groupAddMember",
            "groupGetKey",
            "groupListVersions",
            "groupRemoveMember",
            "groupRotateKey",
            "keypairGetKeypair",
            "keypairGetPublicKey",
            "keypairListVersions",
            "keypairRotate"));
    assertThat(
        handlers.getRecordComponents()[8].getType().getName(),
        is("dev.atpkeyserver.lexicon.alpha.group.GetKey$Handler"));
    assertThat(
        LexiconParser.parseDirectory(GeneratedCode.REAL_LEXICONS).methods().size(),
        is(handlers.getRecordComponents().length));
  }

  @Test
  void routesAreAHelidonServiceListingEveryMethod() throws Exception {
    Class<?> routes = real.loadClass("dev.atpkeyserver.lexicon.XrpcRoutes");
    assertThat(HttpService.class.isAssignableFrom(routes), is(true));
    Field methods = routes.getField("METHODS");
    assertThat(((List<?>) methods.get(null)).size(), is(16));
    assertThat(routes.getConstructors().length, is(2));
  }

  @Test
  void theClientHasATypedMethodPerLexiconMethodNamedLikeItsHandler() throws Exception {
    Class<?> client = real.loadClass("dev.atpkeyserver.lexicon.client.KeyserverClient");
    Class<?> handlers = real.loadClass("dev.atpkeyserver.lexicon.XrpcHandlers");
    List<String> methods =
        Arrays.stream(client.getDeclaredMethods())
            .filter(m -> Modifier.isPublic(m.getModifiers()))
            .map(Method::getName)
            .sorted()
            .toList();
    assertThat(methods, is(componentNames(handlers)));
    assertThat(
        Arrays.stream(client.getConstructors()).map(c -> List.of(c.getParameterTypes())).toList(),
        equalTo(List.of(List.<Class<?>>of(XrpcClient.class))));

    Method getKey = client.getMethod("groupGetKey", params("group.GetKey"));
    assertThat(getKey.getReturnType().getName(), is(type("group.GetKey$Output")));
    Method rotate = client.getMethod("keypairRotate", real.loadClass(type("keypair.Rotate$Input")));
    assertThat(rotate.getReturnType().getName(), is(type("keypair.Rotate$Output")));
    Method listVersions = client.getMethod("keypairListVersions", params("keypair.ListVersions"));
    assertThat(listVersions.getReturnType().getName(), is(type("keypair.ListVersions$Output")));
    assertThat(Arrays.asList(getKey.getExceptionTypes()), is(List.<Class<?>>of()));
  }

  @Test
  void paramsAreQueryWritableSoTheClientCanSendThem() throws Exception {
    assertThat(QueryWritable.class.isAssignableFrom(params("group.GetKey")), is(true));
    assertThat(
        probe.get("getKey.params.query"), is("group_id=did%3Aplc%3Aabc123%23followers&version=2"));
    assertThat(probe.get("getKey.params.queryRoundTrip"), is("true"));
    assertThat(probe.get("getLogs.params.query"), is("limit=50"));
  }

  private static Class<?> params(String method) throws ClassNotFoundException {
    return real.loadClass(type(method + "$Params"));
  }

  private static String type(String relative) {
    return "dev.atpkeyserver.lexicon.alpha." + relative;
  }

  @Test
  void generatedRecordsKeepLexiconOrderAndJavaNames() throws Exception {
    Class<?> params = real.loadClass("dev.atpkeyserver.lexicon.alpha.group.GetKey$Params");
    assertThat(componentNames(params), contains("groupId", "version"));
    Class<?> keyVersion = real.loadClass("dev.atpkeyserver.lexicon.alpha.Defs$KeyVersion");
    assertThat(componentNames(keyVersion), contains("version", "status", "createdAt", "revokedAt"));
    assertThat(keyVersion.getRecordComponents()[0].getType(), is((Object) long.class));
  }

  @Test
  void queryParametersAreValidatedWithDefaults() {
    assertThat(probe.get("getLogs.limit.default"), is("50"));
    assertThat(probe.get("getLogs.limit.given"), is("100"));
    assertThat(probe.get("getLogs.cursor.given"), is("Optional[abc]"));
    assertThat(
        probe.get("getLogs.cursor.tooLong").startsWith("400 Invalid parameter 'cursor'"), is(true));
    assertThat(
        probe.get("listVersions.params.none"),
        is("Params[limit=Optional.empty, cursor=Optional.empty]"));
    assertThat(
        probe.get("listVersions.params.paged"),
        is("Params[limit=Optional[2], cursor=Optional[AQIAAAACKQO4PA]]"));
    assertThat(
        probe.get("listVersions.params.limitTooHigh").startsWith("400 Invalid parameter 'limit'"),
        is(true));
    assertThat(
        probe.get("getLogs.limit.tooHigh"),
        is("400 Invalid parameter 'limit': must be an integer between 1 and 1000"));
    assertThat(
        probe.get("getLogs.limit.notInteger"),
        is("400 Invalid parameter 'limit': must be an integer between 1 and 1000"));
    assertThat(probe.get("getPublicKey.did.missing"), is("400 Missing required parameter 'did'"));
    assertThat(probe.get("getPublicKey.did.invalid"), is("400 Invalid DID format in 'did'"));
    assertThat(
        probe.get("getPublicKey.params"), is("Params[did=did:plc:abc123, version=Optional[2]]"));
    assertThat(
        probe.get("getPublicKey.version.zero"),
        is("400 Invalid parameter 'version': must be an integer >= 1"));
    assertThat(
        probe.get("getKey.groupId.tooLong"),
        is("400 Invalid parameter 'group_id': must be at most 2149 bytes long"));
    assertThat(
        probe.get("getKey.groupId.repeated"),
        is("400 Invalid parameter 'group_id': must be given at most once"));
  }

  @Test
  void bodiesAreValidatedWithDefaults() {
    assertThat(probe.get("rotate.reason.default"), is("user_requested"));
    assertThat(probe.get("rotate.reason.given"), is("routine_rotation"));
    assertThat(
        probe.get("rotate.reason.unknown"),
        is(
            "400 Invalid field 'reason': must be one of: suspected_compromise, routine_rotation,"
                + " user_requested"));
    assertThat(probe.get("rotateKey.groupId.missing"), is("400 Missing required field 'group_id'"));
    assertThat(
        probe.get("delete.confirmation.wrong"),
        is("400 Invalid field 'confirmation': must be exactly \"DELETE_ALL_MY_DATA\""));
    assertThat(
        probe.get("delete.confirmation.missing"), is("400 Missing required field 'confirmation'"));
    assertThat(
        probe.get("addMember.memberDid.invalid"), is("400 Invalid DID format in 'member_did'"));
    assertThat(
        probe.get("addMember.memberDid.null"),
        is("400 Invalid field 'member_did': must not be null"));
    assertThat(
        probe.get("addMember.unknownFieldsIgnored"),
        is("Input[groupId=did:plc:abc#f, memberDid=did:plc:xyz]"));
    assertThat(probe.get("addMember.input.roundTrip"), is("true"));
  }

  @Test
  void outputsSerialiseAsTheContractShowsThem() {
    assertThat(
        probe.get("listVersions.output"),
        is(
            "{\"versions\":[{\"version\":2,\"status\":\"active\","
                + "\"created_at\":\"2025-01-24T10:30:00.000Z\",\"revoked_at\":null},"
                + "{\"version\":1,\"status\":\"revoked\",\"created_at\":\"2025-01-20T08:00:00.000Z\","
                + "\"revoked_at\":\"2025-01-24T10:30:00.000Z\"}]}"));
    // A cursor appears only when there is one.
    assertThat(
        probe.get("listVersions.output.cursor"),
        is(
            "{\"versions\":[{\"version\":2,\"status\":\"active\","
                + "\"created_at\":\"2025-01-24T10:30:00.000Z\",\"revoked_at\":null}],"
                + "\"cursor\":\"AQIAAAACKQO4PA\"}"));
    assertThat(
        probe.get("getLogs.output"),
        is(
            "{\"logs\":[{\"version\":2,\"accessed_at\":\"2025-01-24T10:30:00.000Z\","
                + "\"ip\":\"192.0.2.1\",\"user_agent\":\"Mozilla/5.0...\"},"
                + "{\"version\":1,\"accessed_at\":\"2025-01-24T10:30:00.000Z\",\"ip\":null,"
                + "\"user_agent\":null,\"key_type\":\"group\","
                + "\"group_id\":\"did:plc:abc123#followers\",\"accessor_did\":\"did:plc:xyz789\"}]}"));
    assertThat(
        probe.get("addMember.output"),
        is(
            "{\"groupId\":\"did:plc:abc123#followers\",\"memberDid\":\"did:plc:xyz789\","
                + "\"status\":\"added\"}"));
    assertThat(
        probe.get("rotate.output"),
        is("{\"oldVersion\":1,\"newVersion\":2,\"rotatedAt\":\"2025-01-24T10:30:00.123Z\"}"));
  }

  @Test
  void outputsParseBackWithPathsInErrors() {
    assertThat(probe.get("listVersions.output.roundTrip"), is("Optional.empty"));
    assertThat(
        probe.get("listVersions.output.nested.error"),
        is("400 Missing required field 'versions[0].revoked_at'"));
  }

  @Test
  void recordsGuardTheirInvariantsAndSecrets() {
    assertThat(probe.get("output.requiresNonNull"), is("NPE publicKey"));
    assertThat(probe.get("handlers.requireAll"), is("NPE keypairListVersions"));
    assertThat(probe.get("handlers.lambdas").startsWith("XrpcHandlers["), is(true));
    assertThat(
        probe.get("getKey.output.toString"),
        is("Output[groupId=did:plc:abc123#followers, secretKey=<redacted>, version=2]"));
  }

  @Test
  void fixturesCompileToo() throws Exception {
    URLClassLoader fixtures = GeneratedCode.fixturesCompiled();
    Class<?> handlers = fixtures.loadClass("test.generated.XrpcHandlers");
    assertThat(
        componentNames(handlers), contains("echo", "fail", "myNsGetOdd", "submit", "update"));
    assertThat(
        fixtures
            .loadClass("test.generated.client.KeyserverClient")
            .getMethod(
                "myNsGetOdd", fixtures.loadClass("test.generated.fixture.my_ns.GetOdd$Input"))
            .getName(),
        is("myNsGetOdd"));
    Class<?> input = fixtures.loadClass("test.generated.fixture.my_ns.GetOdd$Input");
    assertThat(
        componentNames(input),
        contains(
            "default_", "class_", "hashCode_", "list", "string", "out", "atId", "ns", "handle"));
  }
}
