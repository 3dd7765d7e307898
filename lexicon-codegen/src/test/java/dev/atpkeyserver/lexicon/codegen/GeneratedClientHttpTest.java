package dev.atpkeyserver.lexicon.codegen;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.atpkeyserver.did.Did;
import dev.atpkeyserver.xrpc.JsonBodies;
import dev.atpkeyserver.xrpc.XrpcAuthenticator;
import dev.atpkeyserver.xrpc.XrpcCall;
import dev.atpkeyserver.xrpc.client.XrpcClient;
import dev.atpkeyserver.xrpc.client.XrpcClientException;
import io.helidon.webserver.WebServer;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The generated client of the fixture lexicons against their generated routes on a real Helidon
 * WebServer (FixtureServer, whose handlers mirror what they receive): every parameter type, nested
 * bodies with nulls and defaults, odd names, errors and the token per method, over HTTP, with the
 * client's own records on both ends.
 */
class GeneratedClientHttpTest {

  private static ClassLoader generated;
  private static WebServer server;
  private static Object client;

  /** One line per authenticated call: the NSID, the Authorization header and the raw query. */
  private static final List<String> SEEN = new CopyOnWriteArrayList<>();

  private static final List<String> TOKENS_ASKED = new CopyOnWriteArrayList<>();

  private static final XrpcAuthenticator RECORDING =
      (nsid, request) -> {
        SEEN.add(
            nsid
                + " "
                + request.headers().first(io.helidon.http.HeaderNames.AUTHORIZATION).orElse("-")
                + " "
                + request.query().rawValue());
        return new XrpcCall(
            nsid, Optional.of(new Did("plc", "caller")), Optional.empty(), Optional.empty());
      };

  @BeforeAll
  static void startServerAndClient() throws Exception {
    generated = GeneratedCode.fixturesCompiled();
    server = FixtureServer.start(generated, RECORDING, 1024);
    XrpcClient xrpc =
        XrpcClient.builder(URI.create("http://localhost:" + server.port()))
            .serviceAuth(
                lxm -> {
                  TOKENS_ASKED.add(lxm);
                  return "token-for-" + lxm;
                })
            .strict()
            .build();
    client =
        generated
            .loadClass("test.generated.client.KeyserverClient")
            .getConstructor(XrpcClient.class)
            .newInstance(xrpc);
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.stop();
    }
  }

  @BeforeEach
  void forgetCalls() {
    SEEN.clear();
    TOKENS_ASKED.clear();
  }

  @Test
  void roundTripsEveryParameterType() throws Exception {
    Object params =
        record(
            "fixture.Echo$Params",
            "hé",
            10L,
            Optional.of(false),
            Optional.of(Instant.parse("2025-01-24T10:30:00.123Z")),
            Optional.of("did:plc:abc"),
            Optional.of(List.of("x", "yz")),
            Optional.of("b"));

    Object output = call("echo", params);

    assertThat(
        output.toString(),
        is(
            "Output[text=hé, count=10, flag=Optional[false], when=Optional[2025-01-24T10:30:00.123Z],"
                + " who=Optional[did:plc:abc], tags=Optional[[x, yz]], mode=Optional[b]]"));
    assertThat(
        SEEN,
        contains(
            "com.example.fixture.echo Bearer token-for-com.example.fixture.echo"
                + " text=h%C3%A9&count=10&flag=false&when=2025-01-24T10%3A30%3A00.123Z"
                + "&who=did%3Aplc%3Aabc&tags=x&tags=yz&mode=b"));
  }

  @Test
  void sendsDefaultedValuesAndLeavesEmptyOptionalsOut() throws Exception {
    Object params =
        record(
            "fixture.Echo$Params",
            "a b&c=d#e",
            3L,
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty());

    Object output = call("echo", params);

    assertThat(
        output.toString(),
        is(
            "Output[text=a b&c=d#e, count=3, flag=Optional.empty, when=Optional.empty,"
                + " who=Optional.empty, tags=Optional.empty, mode=Optional.empty]"));
    assertThat(SEEN.get(0).endsWith(" text=a%20b%26c%3Dd%23e&count=3"), is(true));
  }

  @Test
  void roundTripsNestedBodiesWithNullsAndDefaults() throws Exception {
    Object input =
        fromJson(
            "fixture.Submit$Input",
            "{\"name\":\"n\",\"note\":null,\"confirm\":\"YES\","
                + "\"items\":[{\"id\":1,\"at\":null},{\"id\":2,\"label\":\"l\","
                + "\"at\":\"2025-01-24T10:30:00Z\"}],\"labels\":[\"a\",\"bc\"],"
                + "\"pair\":{\"left\":true}}");

    Object output = call("submit", input);

    assertThat(output.toString(), is(input.toString().replace("Input[", "Output[")));
    assertThat(
        output.toString(),
        is(
            "Output[name=n, level=low, note=Optional.empty, items=Optional[[Item[id=1,"
                + " label=Optional.empty, at=Optional.empty], Item[id=2, label=Optional[l],"
                + " at=Optional[2025-01-24T10:30:00Z]]]], extra=Optional.empty, confirm=YES,"
                + " size=Optional.empty, labels=Optional[[a, bc]], pair=Optional[Pair[left=true,"
                + " right=false]]]"));
  }

  @Test
  void combinesParametersAndBody() throws Exception {
    Object output =
        call("update", record("fixture.Update$Params", 7L), record("fixture.Update$Input", "v"));

    assertThat(output.toString(), is("Output[id=7, value=v]"));
    assertThat(
        SEEN,
        contains("com.example.fixture.update Bearer token-for-com.example.fixture.update id=7"));
  }

  @Test
  void keepsOddNamesAndEscapesEndToEnd() throws Exception {
    Object input =
        fromJson(
            "fixture.my_ns.GetOdd$Input",
            "{\"default\":\"quote \\\" backslash \\\\ newline \\n unicode \\u00e9 \\\\u0022\","
                + "\"class\":2,\"hash-code\":true,\"list\":{\"values\":[1,2]},"
                + "\"string\":{\"value\":\"s\"},\"out\":\"y\",\"at-id\":\"alice.example.com\","
                + "\"ns\":\"a.b.c\",\"handle\":\"a.co\"}");

    Object output = call("myNsGetOdd", input);

    assertThat(output.toString(), is(input.toString().replace("Input[", "Output[")));
    assertThat(TOKENS_ASKED, contains("com.example.fixture.my-ns.getOdd"));
  }

  @Test
  void turnsAnErrorAnswerIntoOneExceptionWithStatusErrorMessageAndHeaders() throws Exception {
    XrpcClientException conflict = assertThrows(XrpcClientException.class, () -> call("fail"));
    assertThat(conflict.status(), is(409));
    assertThat(conflict.error(), is("Conflict"));
    assertThat(conflict.errorMessage(), is(Optional.of("Already exists")));
    assertThat(conflict.retryAfter(), is(Optional.of(Duration.ofSeconds(5))));
    assertThat(conflict.nsid(), is("com.example.fixture.fail"));

    Object tooMany =
        record(
            "fixture.Echo$Params",
            "hi",
            0L,
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty());
    XrpcClientException invalid =
        assertThrows(XrpcClientException.class, () -> call("echo", tooMany));
    assertThat(invalid.status(), is(400));
    assertThat(invalid.error(), is("Bad Request"));
    assertThat(
        invalid.errorMessage(),
        is(Optional.of("Invalid parameter 'count': must be an integer between 1 and 10")));
  }

  private static Object record(String name, Object... components) throws Exception {
    Class<?> type = generated.loadClass("test.generated." + name);
    Class<?>[] types =
        Arrays.stream(type.getRecordComponents())
            .map(RecordComponent::getType)
            .toArray(Class<?>[]::new);
    return type.getDeclaredConstructor(types).newInstance(components);
  }

  private static Object fromJson(String name, String json) throws Exception {
    return generated
        .loadClass("test.generated." + name)
        .getMethod("fromJson", jakarta.json.JsonValue.class, String.class)
        .invoke(null, JsonBodies.parse(json.getBytes(StandardCharsets.UTF_8)), "");
  }

  /** Calls the client's method, rethrowing what it throws. */
  private static Object call(String method, Object... arguments) throws Exception {
    Method target =
        Arrays.stream(client.getClass().getMethods())
            .filter(m -> m.getName().equals(method))
            .findFirst()
            .orElseThrow();
    try {
      return target.invoke(client, arguments);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof Exception cause) {
        throw cause;
      }
      throw e;
    }
  }
}
