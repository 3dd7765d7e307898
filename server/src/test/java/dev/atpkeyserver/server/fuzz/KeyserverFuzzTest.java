package dev.atpkeyserver.server.fuzz;

import static dev.atpkeyserver.server.fuzz.FuzzInputs.encoded;
import static dev.atpkeyserver.server.fuzz.FuzzInputs.jsonString;
import static dev.atpkeyserver.server.fuzz.FuzzInputs.utf8;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.nimbusds.jose.util.Base64URL;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Property-based fuzzing of the whole HTTP surface against a real keyserver on PostgreSQL. Every
 * generated request must be answered 2xx or 4xx, never 5xx (but the 501 of an XRPC path that names
 * no method); every 4xx in the contract's body; and a 4xx must change nothing stored (see {@link
 * FuzzTarget#send}).
 *
 * <p>Tries per property come from {@code jqwik.tries.default} in {@code junit-platform.properties}
 * (a few hundred, so the suite stays well under a minute); a longer session: {@code mvn -o -pl
 * server -am test -Dtest=KeyserverFuzzTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Djqwik.tries.default=20000}. A failure prints its seed; {@code @Property(seed = "...")} replays
 * it.
 */
class KeyserverFuzzTest {

  private static FuzzTarget target;

  @BeforeContainer
  static void start() throws Exception {
    target = FuzzTarget.start();
  }

  @AfterContainer
  static void stop() throws Exception {
    if (target != null) {
      int total = target.statuses().values().stream().mapToInt(AtomicInteger::get).sum();
      System.out.println(
          "KeyserverFuzzTest: " + total + " requests checked, by status " + target.statuses());
      target.close();
      target = null;
    }
  }

  // ---- paths under /xrpc/ ----------------------------------------------------------------------

  /**
   * Every shape of path under {@code /xrpc/}, with any HTTP method and no token: a known method
   * (also mangled), an empty or dotted name, slashes, percent-escapes, very long and unicode names.
   * Each goes through the rate limits and the routes like any request; none may be a 500.
   */
  @Property
  void xrpcPathsAreAnsweredWithinTheContract(
      @ForAll("httpMethods") String httpMethod, @ForAll("xrpcTargets") String target) {
    KeyserverFuzzTest.target.request(httpMethod, target);
  }

  @Provide
  Arbitrary<String> httpMethods() {
    return Arbitraries.frequencyOf(
        Tuple.of(6, Arbitraries.of("GET", "POST")),
        Tuple.of(1, Arbitraries.of("PUT", "DELETE", "PATCH", "OPTIONS", "get", "FOO")));
  }

  @Provide
  Arbitrary<String> xrpcTargets() {
    List<String> nsids =
        java.util.stream.Stream.concat(FuzzTarget.QUERIES.stream(), FuzzTarget.PROCEDURES.stream())
            .map(method -> FuzzTarget.PREFIX + method)
            .toList();
    return FuzzInputs.xrpcTargets(nsids);
  }

  // ---- query parameters -----------------------------------------------------------------------

  @Property
  void queryParametersAreAnsweredWithinTheContract(
      @ForAll("queryMethods") String method,
      @ForAll("rawQueries") String rawQuery,
      @ForAll boolean withToken) {
    target.query(method, rawQuery, withToken ? bearer(target.token(target.owner, method)) : null);
  }

  @Provide
  Arbitrary<String> queryMethods() {
    return Arbitraries.of(FuzzTarget.QUERIES);
  }

  @Provide
  Arbitrary<String> rawQueries() {
    Arbitrary<String> names =
        Arbitraries.frequencyOf(
            Tuple.of(8, Arbitraries.of("did", "version", "group_id", "limit")),
            Tuple.of(1, Arbitraries.of("member_did", "cursor", "", "DID", "did[]", "version%00")),
            Tuple.of(1, FuzzInputs.punctuated().map(FuzzInputs::encoded)));
    Arbitrary<String> values =
        Arbitraries.oneOf(
            knownValues().map(FuzzInputs::encoded),
            knownValues(),
            FuzzInputs.numbers().map(FuzzInputs::encoded),
            FuzzInputs.unicode().map(FuzzInputs::encoded),
            FuzzInputs.unicode().map(FuzzInputs::utf8).map(FuzzInputs::withoutLineBreaks),
            FuzzInputs.punctuated().map(FuzzInputs::utf8).map(FuzzInputs::withoutLineBreaks),
            FuzzInputs.percentGarbage(),
            Combinators.combine(FuzzInputs.punctuated(), FuzzInputs.percentGarbage())
                .as((text, escape) -> encoded(text) + escape),
            Arbitraries.of(100, 2149, 2150, 2500).map(n -> "a".repeat(n)));
    Arbitrary<String> pair =
        Arbitraries.frequencyOf(
            Tuple.of(9, Combinators.combine(names, values).as((n, v) -> n + "=" + v)),
            Tuple.of(1, names));
    return pair.list().ofMaxSize(5).map(pairs -> String.join("&", pairs));
  }

  private Arbitrary<String> knownValues() {
    return Arbitraries.of(
        target.owner.did(),
        target.member.did(),
        target.groupId,
        target.owner.did() + "#other",
        "did:plc:unknownuser234567abcdefgh",
        "1",
        "2",
        "3");
  }

  // ---- JSON bodies ----------------------------------------------------------------------------

  @Property
  void jsonBodiesAreAnsweredWithinTheContract(
      @ForAll("procedureMethods") String method,
      @ForAll("bodies") String body,
      @ForAll("contentTypes") String contentType,
      @ForAll boolean withToken) {
    target.procedure(
        method,
        body,
        contentType.isEmpty() ? null : contentType,
        withToken ? bearer(target.token(target.owner, method)) : null);
  }

  @Provide
  Arbitrary<String> procedureMethods() {
    return Arbitraries.of(FuzzTarget.PROCEDURES);
  }

  @Provide
  Arbitrary<String> contentTypes() {
    return Arbitraries.frequencyOf(
        Tuple.of(12, Arbitraries.just("application/json")),
        Tuple.of(
            1,
            Arbitraries.of(
                "application/json; charset=utf-8",
                "application/json; charset=latin1",
                "APPLICATION/JSON",
                "text/plain",
                "application/x-www-form-urlencoded",
                "application/json;;",
                "*/*",
                "",
                "\u00e9")));
  }

  @Provide
  Arbitrary<String> bodies() {
    List<String> fields = List.of("reason", "group_id", "member_did", "confirmation", "groupId");
    Arbitrary<String> strings =
        Arbitraries.oneOf(
            knownValues(),
            Arbitraries.of(
                "routine_rotation", "suspected_compromise", "user_requested", "DELETE_ALL_MY_DATA"),
            FuzzInputs.unicode());
    Arbitrary<String> wellFormed = FuzzInputs.jsonValues(3, fields, strings).map(FuzzInputs::utf8);
    Arbitrary<String> fieldObjects =
        Combinators.combine(Arbitraries.of(fields), FuzzInputs.jsonValues(1, fields, strings))
            .as((name, value) -> jsonString(name) + ":" + value)
            .list()
            .ofMaxSize(4)
            .map(members -> utf8("{" + String.join(",", members) + "}"));
    return Arbitraries.frequencyOf(
        Tuple.of(4, fieldObjects),
        Tuple.of(3, wellFormed),
        Tuple.of(2, FuzzInputs.damaged(fieldObjects)),
        Tuple.of(1, FuzzInputs.deeplyNested()),
        Tuple.of(1, FuzzInputs.bytes()),
        Tuple.of(
            1,
            Arbitraries.of(
                "",
                "{}",
                "{\"reason\":\"routine_rotation\",\"reason\":\"nope\"}",
                "{\"group_id\":1e999999}",
                "{\"reason\":\"a\"} trailing",
                "{\"a\":1}{\"b\":2}",
                " ",
                "\u00ef\u00bb\u00bf{}",
                "x".repeat(70_000))));
  }

  // ---- DIDs and group ids ---------------------------------------------------------------------

  @Property
  void identifiersAreAnsweredWithinTheContract(
      @ForAll("dids") String did, @ForAll("groupIds") String groupId, @ForAll("idCalls") int call) {
    String ownerGroup = target.groupId;
    switch (call) {
      case 0 -> target.query("keypair.getPublicKey", "did=" + encoded(did), null);
      case 1 ->
          target.query(
              "keypair.getPublicKey", "did=" + FuzzInputs.withoutLineBreaks(utf8(did)), null);
      case 2 -> ownerQuery("group.getKey", "group_id=" + encoded(groupId));
      case 3 -> ownerQuery("group.listVersions", "group_id=" + encoded(groupId));
      case 4 -> memberQuery("group.getKey", "group_id=" + encoded(groupId));
      case 5 -> ownerBody("group.rotateKey", "{\"group_id\":" + jsonString(groupId) + "}");
      case 6 ->
          ownerBody(
              "group.addMember",
              "{\"group_id\":"
                  + jsonString(ownerGroup)
                  + ",\"member_did\":"
                  + jsonString(did)
                  + "}");
      case 7 ->
          ownerBody(
              "group.removeMember",
              "{\"group_id\":" + jsonString(groupId) + ",\"member_did\":" + jsonString(did) + "}");
      default -> throw new IllegalArgumentException("call " + call);
    }
  }

  @Provide
  Arbitrary<String> dids() {
    return FuzzInputs.dids(List.of(target.owner.did(), target.member.did()));
  }

  @Provide
  Arbitrary<String> groupIds() {
    return FuzzInputs.groupIds(List.of(target.owner.did(), target.member.did()), target.groupId);
  }

  @Provide
  Arbitrary<Integer> idCalls() {
    return Arbitraries.integers().between(0, 7);
  }

  private void ownerQuery(String method, String query) {
    target.query(method, query, bearer(target.token(target.owner, method)));
  }

  private void memberQuery(String method, String query) {
    target.query(method, query, bearer(target.token(target.member, method)));
  }

  private void ownerBody(String method, String json) {
    target.procedure(
        method, utf8(json), "application/json", bearer(target.token(target.owner, method)));
  }

  // ---- tokens and Authorization headers -------------------------------------------------------

  @Property
  void authorizationHeadersAreAnsweredWithinTheContract(
      @ForAll("authMethods") String method, @ForAll("authorizations") String authorization) {
    if (FuzzTarget.QUERIES.contains(method)) {
      String query =
          switch (method) {
            case "keypair.getPublicKey" -> "did=" + encoded(target.owner.did());
            case "group.getKey", "group.listVersions" -> "group_id=" + encoded(target.groupId);
            default -> "";
          };
      target.query(method, query, authorization);
    } else {
      String body =
          switch (method) {
            case "group.rotateKey" -> "{\"group_id\":" + jsonString(target.groupId) + "}";
            case "group.addMember", "group.removeMember" ->
                "{\"group_id\":"
                    + jsonString(target.groupId)
                    + ",\"member_did\":"
                    + jsonString(target.member.did())
                    + "}";
            default -> "{}";
          };
      target.procedure(method, body, "application/json", authorization);
    }
  }

  @Provide
  Arbitrary<String> authMethods() {
    // account.delete is left out: a token mutation that stays valid would erase the fixture.
    return Arbitraries.of(
        "keypair.getKeypair",
        "keypair.listVersions",
        "accessLogs.getLogs",
        "group.getKey",
        "group.listVersions",
        "keypair.rotate",
        "group.rotateKey",
        "group.addMember",
        "group.removeMember");
  }

  @Provide
  Arbitrary<String> authorizations() {
    return Arbitraries.frequencyOf(
        Tuple.of(5, mutatedTokens().map(KeyserverFuzzTest::bearer)),
        Tuple.of(2, rebuiltTokens().map(KeyserverFuzzTest::bearer)),
        Tuple.of(
            2,
            Combinators.combine(
                    Arbitraries.of(
                        "",
                        "Bearer",
                        "Bearer ",
                        "bearer ",
                        "BEARER ",
                        "Bearer  ",
                        "Basic ",
                        "Bearer\t",
                        "Token ",
                        "Bearer Bearer "),
                    Arbitraries.oneOf(
                        validTokens(),
                        FuzzInputs.unicode().map(FuzzInputs::utf8),
                        FuzzInputs.punctuated().map(s -> s.replace("\n", ""))))
                .as((scheme, value) -> scheme + value)),
        Tuple.of(
            1,
            Combinators.combine(validTokens(), Arbitraries.of(100, 4_000, 15_000, 20_000))
                .as((token, extra) -> "Bearer " + token + "A".repeat(extra))));
  }

  private Arbitrary<String> validTokens() {
    return Arbitraries.of(FuzzTarget.QUERIES).map(method -> target.token(target.owner, method));
  }

  /** Valid tokens with one part replaced, dropped, swapped or damaged. */
  private Arbitrary<String> mutatedTokens() {
    Arbitrary<String> garbage =
        Arbitraries.oneOf(
            Arbitraries.strings().withChars("ABCxyz0189-_").ofMaxLength(300),
            FuzzInputs.punctuated(),
            FuzzInputs.jsonValues(
                    2, List.of("alg", "typ", "iss", "aud", "exp", "lxm"), FuzzInputs.unicode())
                .map(json -> Base64URL.encode(json.getBytes(StandardCharsets.UTF_8)).toString()));
    return Combinators.combine(
            Arbitraries.of(FuzzTarget.QUERIES),
            Arbitraries.integers().between(0, 6),
            Arbitraries.integers().between(0, 2),
            garbage)
        .as(
            (method, mutation, part, replacement) -> {
              String token = target.token(target.owner, method);
              String[] parts = token.split("\\.");
              return switch (mutation) {
                case 0 -> {
                  parts[part] = replacement;
                  yield String.join(".", parts);
                }
                case 1 -> String.join(".", parts[1], parts[0], parts[2]);
                case 2 -> parts[0] + "." + parts[1];
                case 3 -> token + "." + replacement;
                case 4 -> {
                  char[] chars = parts[part].toCharArray();
                  int at = Math.floorMod(replacement.hashCode(), Math.max(1, chars.length));
                  if (chars.length > 0) {
                    chars[at] = chars[at] == 'A' ? 'B' : 'A';
                  }
                  parts[part] = new String(chars);
                  yield String.join(".", parts);
                }
                case 5 -> parts[part] + "." + replacement + "." + parts[2];
                default -> token.replace('.', part == 0 ? '_' : ' ');
              };
            });
  }

  /** Correctly signed tokens whose header or claims hold wrong values or types. */
  private Arbitrary<String> rebuiltTokens() {
    Arbitrary<Object> values =
        Arbitraries.oneOf(
            Arbitraries.of(
                "ES256K",
                "ES256",
                "none",
                "HS256",
                "RS256",
                "",
                "JWT",
                "at+jwt",
                "refresh+jwt",
                target.owner.did(),
                target.member.did(),
                "did:plc:unknownuser234567abcdefgh",
                "did:web:keyserver.test",
                "dev.atpkeyserver.alpha.group.getKey",
                "a\"b"),
            Arbitraries.longs().map(n -> (Object) n),
            Arbitraries.of(true, 0L, -1L, Long.MAX_VALUE, 1e300),
            FuzzInputs.unicode().map(s -> (Object) s));
    Arbitrary<String> names =
        Arbitraries.of(
            "alg", "typ", "iss", "aud", "exp", "iat", "nbf", "lxm", "jti", "kid", "crit");
    return Combinators.combine(
            Arbitraries.of(FuzzTarget.QUERIES),
            Arbitraries.of(true, false),
            names,
            values,
            Arbitraries.of(true, false))
        .as(
            (method, inHeader, name, value, remove) -> {
              var builder = target.tokenBuilder(method);
              Object v = remove ? null : value;
              return (inHeader ? builder.header(name, v) : builder.claim(name, v)).build();
            });
  }

  // ---- other headers --------------------------------------------------------------------------

  /**
   * Odd, long and repeated headers on key reads. A read that succeeds must also have written its
   * access-log entry: a User-Agent or address the log cannot store must not lose the entry.
   */
  @Property
  void headersAreAnsweredWithinTheContractAndReadsStayLogged(
      @ForAll("readMethods") String method, @ForAll("extraHeaders") String extra) {
    List<String> logBefore = target.accessLog();
    String query =
        switch (method) {
          case "keypair.getPublicKey" -> "did=" + encoded(target.owner.did());
          case "group.getKey" -> "group_id=" + encoded(target.groupId);
          default -> "";
        };
    var response = target.query(method, query, bearer(target.token(target.owner, method)), extra);
    if (response.status() == 200) {
      long before = Long.parseLong(logBefore.get(0).split("\\|", -1)[0]);
      long after = Long.parseLong(target.accessLog().get(0).split("\\|", -1)[0]);
      assertThat("a logged read left no entry: " + extra, after, equalTo(before + 1));
    }
  }

  @Provide
  Arbitrary<String> readMethods() {
    return Arbitraries.of("keypair.getPublicKey", "keypair.getKeypair", "group.getKey");
  }

  @Provide
  Arbitrary<String> extraHeaders() {
    Arbitrary<String> names =
        Arbitraries.of(
            "User-Agent",
            "X-Forwarded-For",
            "Forwarded",
            "X-Real-IP",
            "Authorization",
            "Content-Length",
            "Content-Type",
            "Transfer-Encoding",
            "Host",
            "Connection",
            "Expect");
    Arbitrary<String> values =
        Arbitraries.oneOf(
            FuzzInputs.unicode().map(FuzzInputs::utf8),
            FuzzInputs.punctuated().map(v -> v.replace("\n", "")),
            FuzzInputs.numbers(),
            Arbitraries.of(
                "",
                "1.2.3.4",
                "::1",
                "999.1.1.1",
                "1.2.3.4, 5.6.7.8",
                "unknown",
                "chunked",
                "100-continue",
                "gzip, chunked",
                "-1",
                "close",
                "keep-alive, Upgrade"),
            Arbitraries.of(511, 512, 513, 600, 2000, 8000)
                .flatMap(
                    n ->
                        Arbitraries.of("a", "é", "\ud83d\ude00", "\u00ff")
                            .map(c -> FuzzInputs.utf8(c.repeat(n)).substring(0, n))));
    return Combinators.combine(names, values)
        .as((name, value) -> name + ": " + value + "\r\n")
        .list()
        .ofMaxSize(4)
        .map(lines -> String.join("", lines));
  }

  private static String bearer(String token) {
    return "Bearer " + token;
  }
}
