package probe;

import dev.atpkeyserver.lexicon.XrpcHandlers;
import dev.atpkeyserver.lexicon.alpha.Defs;
import dev.atpkeyserver.lexicon.alpha.accessLogs.GetLogs;
import dev.atpkeyserver.lexicon.alpha.account.Delete;
import dev.atpkeyserver.lexicon.alpha.group.AddMember;
import dev.atpkeyserver.lexicon.alpha.group.GetKey;
import dev.atpkeyserver.lexicon.alpha.group.RotateKey;
import dev.atpkeyserver.lexicon.alpha.keypair.GetPublicKey;
import dev.atpkeyserver.lexicon.alpha.keypair.ListVersions;
import dev.atpkeyserver.lexicon.alpha.keypair.Rotate;
import dev.atpkeyserver.xrpc.JsonBodies;
import dev.atpkeyserver.xrpc.JsonOut;
import dev.atpkeyserver.xrpc.KeyserverException;
import dev.atpkeyserver.xrpc.QueryOut;
import dev.atpkeyserver.xrpc.QueryWritable;
import io.helidon.common.uri.UriQuery;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Compiled together with the code generated from the real lexicons (CompileTest): uses the
 * generated types the way the server does and reports what happened, for the test to assert.
 */
public final class RealLexiconProbe {

  private static final Instant AT = Instant.parse("2025-01-24T10:30:00Z");

  private RealLexiconProbe() {}

  public static Map<String, String> results() {
    Map<String, String> r = new LinkedHashMap<>();
    r.put("getLogs.limit.default", run(() -> GetLogs.Params.fromQuery(query("")).limit()));
    r.put("getLogs.limit.given", run(() -> GetLogs.Params.fromQuery(query("limit=100")).limit()));
    r.put("getLogs.limit.tooHigh", run(() -> GetLogs.Params.fromQuery(query("limit=1001"))));
    r.put("getLogs.limit.notInteger", run(() -> GetLogs.Params.fromQuery(query("limit=ten"))));
    r.put("getPublicKey.did.missing", run(() -> GetPublicKey.Params.fromQuery(query(""))));
    r.put("getPublicKey.did.invalid", run(() -> GetPublicKey.Params.fromQuery(query("did=alice"))));
    r.put(
        "getPublicKey.params",
        run(() -> GetPublicKey.Params.fromQuery(query("did=did%3Aplc%3Aabc123&version=2"))));
    r.put(
        "getPublicKey.version.zero",
        run(() -> GetPublicKey.Params.fromQuery(query("did=did:plc:abc&version=0"))));
    r.put(
        "getKey.groupId.tooLong",
        run(() -> GetKey.Params.fromQuery(query("group_id=" + "a".repeat(2150)))));
    r.put(
        "getKey.groupId.repeated",
        run(() -> GetKey.Params.fromQuery(query("group_id=a&group_id=b"))));
    r.put("rotate.reason.default", run(() -> Rotate.Input.fromJson(json(""), "").reason()));
    r.put(
        "rotate.reason.given",
        run(() -> Rotate.Input.fromJson(json("{\"reason\":\"routine_rotation\"}"), "").reason()));
    r.put(
        "rotate.reason.unknown",
        run(() -> Rotate.Input.fromJson(json("{\"reason\":\"bored\"}"), "")));
    r.put(
        "rotateKey.groupId.missing",
        run(() -> RotateKey.Input.fromJson(json("{\"reason\":\"routine_rotation\"}"), "")));
    r.put(
        "delete.confirmation.wrong",
        run(() -> Delete.Input.fromJson(json("{\"confirmation\":\"yes\"}"), "")));
    r.put("delete.confirmation.missing", run(() -> Delete.Input.fromJson(json("{}"), "")));
    r.put(
        "addMember.memberDid.invalid",
        run(
            () ->
                AddMember.Input.fromJson(
                    json("{\"group_id\":\"did:plc:abc#f\",\"member_did\":\"xyz789\"}"), "")));
    r.put(
        "addMember.memberDid.null",
        run(
            () ->
                AddMember.Input.fromJson(
                    json("{\"group_id\":\"did:plc:abc#f\",\"member_did\":null}"), "")));
    r.put(
        "addMember.unknownFieldsIgnored",
        run(
            () ->
                AddMember.Input.fromJson(
                    json(
                        "{\"group_id\":\"did:plc:abc#f\",\"member_did\":\"did:plc:xyz\","
                            + "\"extra\":[1,{}]}"),
                    "")));
    r.put(
        "listVersions.output",
        JsonOut.toJson(
            new ListVersions.Output(
                List.of(
                    new Defs.KeyVersion(2, "active", AT, Optional.empty()),
                    new Defs.KeyVersion(
                        1, "revoked", Instant.parse("2025-01-20T08:00:00Z"), Optional.of(AT))),
                Optional.empty())));
    r.put(
        "listVersions.output.cursor",
        JsonOut.toJson(
            new ListVersions.Output(
                List.of(new Defs.KeyVersion(2, "active", AT, Optional.empty())),
                Optional.of("AQIAAAACKQO4PA"))));
    r.put(
        "listVersions.params.none",
        run(() -> ListVersions.Params.fromQuery(query(""))));
    r.put(
        "listVersions.params.paged",
        run(() -> ListVersions.Params.fromQuery(query("limit=2&cursor=AQIAAAACKQO4PA"))));
    r.put(
        "listVersions.params.limitTooHigh",
        run(() -> ListVersions.Params.fromQuery(query("limit=1001"))));
    r.put(
        "getLogs.cursor.given",
        run(() -> GetLogs.Params.fromQuery(query("cursor=abc")).cursor()));
    r.put(
        "getLogs.cursor.tooLong",
        run(() -> GetLogs.Params.fromQuery(query("cursor=" + "a".repeat(129)))));
    r.put(
        "getLogs.output",
        JsonOut.toJson(
            new GetLogs.Output(
                List.of(
                    new Defs.AccessLog(
                        2, AT, Optional.of("192.0.2.1"), Optional.of("Mozilla/5.0..."),
                        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty()),
                    new Defs.AccessLog(
                        1, AT, Optional.empty(), Optional.empty(), Optional.of("group"),
                        Optional.of("did:plc:abc123#followers"), Optional.empty(),
                        Optional.of("did:plc:xyz789"))),
                Optional.empty())));
    r.put(
        "addMember.output",
        JsonOut.toJson(
            new AddMember.Output("did:plc:abc123#followers", "did:plc:xyz789", "added")));
    r.put(
        "getKey.output.toString",
        new GetKey.Output("did:plc:abc123#followers", "0123abcd", 2).toString());
    r.put(
        "rotate.output",
        JsonOut.toJson(new Rotate.Output(1, 2, Instant.parse("2025-01-24T10:30:00.123456Z"))));
    AddMember.Input input = new AddMember.Input("did:plc:abc#f", "did:plc:xyz");
    r.put(
        "addMember.input.roundTrip",
        run(() -> AddMember.Input.fromJson(json(JsonOut.toJson(input)), "").equals(input)));
    r.put(
        "listVersions.output.roundTrip",
        run(
            () ->
                ListVersions.Output.fromJson(json(r.get("listVersions.output")), "")
                    .versions()
                    .get(0)
                    .revokedAt()));
    r.put(
        "listVersions.output.nested.error",
        run(
            () ->
                ListVersions.Output.fromJson(
                    json(
                        "{\"versions\":[{\"version\":2,\"status\":\"active\","
                            + "\"created_at\":\"2025-01-24T10:30:00.000Z\"}]}"),
                    "")));
    GetKey.Params getKey = new GetKey.Params("did:plc:abc123#followers", Optional.of(2L));
    r.put("getKey.params.query", query(getKey));
    r.put(
        "getKey.params.queryRoundTrip",
        run(() -> GetKey.Params.fromQuery(query(query(getKey))).equals(getKey)));
    r.put("getLogs.params.query", query(new GetLogs.Params(50, Optional.empty())));
    r.put("output.requiresNonNull", run(() -> new GetPublicKey.Output(null, 1)));
    r.put("handlers.requireAll", run(() -> handlers(null)));
    r.put("handlers.lambdas", run(
            () ->
                handlers((params, call) -> new ListVersions.Output(List.of(), Optional.empty()))));
    return r;
  }

  private static XrpcHandlers handlers(ListVersions.Handler listVersions) {
    return new XrpcHandlers(
        (params, call) -> new GetLogs.Output(List.of(), Optional.empty()),
        (input, call) -> new Delete.Output(0, 0, 0, 0, 0, 0),
        (input, call) -> new dev.atpkeyserver.lexicon.alpha.device.ClaimBundles.Output(
            input.did(), List.of()),
        (params, call) -> new dev.atpkeyserver.lexicon.alpha.device.List.Output(List.of()),
        (input, call) -> new dev.atpkeyserver.lexicon.alpha.device.Register.Output(
            input.deviceId(), "00", 0, "active", AT),
        (input, call) -> new dev.atpkeyserver.lexicon.alpha.device.Revoke.Output(
            input.deviceId(), "revoked", AT, input.reason()),
        (input, call) -> new dev.atpkeyserver.lexicon.alpha.device.UploadPreKeys.Output(
            input.deviceId(), "s", 0, Optional.empty()),
        (input, call) -> new AddMember.Output(input.groupId(), input.memberDid(), "added"),
        (params, call) -> new GetKey.Output(params.groupId(), "00", 1),
        (params, call) -> new dev.atpkeyserver.lexicon.alpha.group.ListVersions.Output(
            params.groupId(), List.of(), Optional.empty()),
        (input, call) -> new dev.atpkeyserver.lexicon.alpha.group.RemoveMember.Output(
            input.groupId(), input.memberDid(), "removed"),
        (input, call) -> new RotateKey.Output(input.groupId(), 1, 2, AT),
        (params, call) -> new dev.atpkeyserver.lexicon.alpha.keypair.GetKeypair.Output("a", "b", 1),
        (params, call) -> new GetPublicKey.Output("a", 1),
        listVersions,
        (input, call) -> new Rotate.Output(1, 2, AT));
  }

  private static String query(QueryWritable params) {
    QueryOut out = new QueryOut();
    params.writeQuery(out);
    return out.toString();
  }

  private static UriQuery query(String raw) {
    return UriQuery.create(raw);
  }

  private static jakarta.json.JsonObject json(String text) {
    return JsonBodies.parse(text.getBytes(StandardCharsets.UTF_8));
  }

  private static String run(Supplier<?> code) {
    try {
      return String.valueOf(code.get());
    } catch (KeyserverException e) {
      return e.kind().status() + " " + e.safeMessage();
    } catch (NullPointerException e) {
      return "NPE " + e.getMessage();
    }
  }
}
