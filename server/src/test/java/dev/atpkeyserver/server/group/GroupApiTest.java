package dev.atpkeyserver.server.group;

import static dev.atpkeyserver.server.testing.ApiClient.encode;
import static dev.atpkeyserver.server.testing.RegexMatcher.matchesPattern;
import static dev.atpkeyserver.server.testing.Responses.assertError;
import static dev.atpkeyserver.server.testing.Responses.inParallel;
import static dev.atpkeyserver.server.testing.Responses.ok;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import dev.atpkeyserver.server.testing.ApiClient;
import dev.atpkeyserver.server.testing.ApiServers;
import dev.atpkeyserver.server.testing.DidDirectory;
import dev.atpkeyserver.server.testing.KeyserverExtension;
import dev.atpkeyserver.server.testing.TestDatabase;
import dev.atpkeyserver.server.testing.TestServer;
import dev.atpkeyserver.server.testing.TestUser;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Group keys and memberships end to end, on each database. */
class GroupApiTest {

  private static final DidDirectory directory = new DidDirectory();

  @RegisterExtension
  static final KeyserverExtension servers = ApiServers.resolvingThrough(directory);

  /** An owner, a member and an outsider around one fresh group. */
  private record Cast(
      ApiClient owner, ApiClient member, ApiClient outsider, String groupId, String memberDid) {
    static Cast on(TestServer server) {
      TestUser owner = directory.publish(TestUser.plc());
      TestUser member = directory.publish(TestUser.plc());
      TestUser outsider = directory.publish(TestUser.plc());
      return new Cast(
          new ApiClient(server, owner),
          new ApiClient(server, member),
          new ApiClient(server, outsider),
          owner.did() + "#followers",
          member.did());
    }

    HttpResponse<String> getKey(ApiClient who, String extra) {
      return who.query("group.getKey", "group_id=" + encode(groupId) + extra);
    }

    HttpResponse<String> membership(String method, String memberDid) {
      return owner.procedure(
          "group." + method,
          "{\"group_id\":\"" + groupId + "\",\"member_did\":\"" + memberDid + "\"}");
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void theOwnersFirstGetKeyCreatesTheGroup(TestDatabase db) {
    Cast cast = Cast.on(servers.on(db));

    JsonObject key = ok(cast.getKey(cast.owner(), ""));

    assertThat(key.getString("groupId"), equalTo(cast.groupId()));
    assertThat(key.getString("secretKey"), matchesPattern("[0-9a-f]{64}"));
    assertThat(key.getInt("version"), equalTo(1));
    assertThat(ok(cast.getKey(cast.owner(), "")), equalTo(key));
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void nobodyElseCanCreateSomeonesGroup(TestDatabase db) {
    Cast cast = Cast.on(servers.on(db));
    assertError(cast.getKey(cast.outsider(), ""), 404, "Not Found", "Group not found");
    // ...and the attempt did not create it for the owner either.
    assertError(
        cast.membership("addMember", cast.memberDid()), 404, "Not Found", "Group not found");
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void membersReadEveryVersionAndOutsidersAreForbidden(TestDatabase db) {
    Cast cast = Cast.on(servers.on(db));
    JsonObject v1 = ok(cast.getKey(cast.owner(), ""));
    ok(cast.membership("addMember", cast.memberDid()));
    ok(cast.owner().procedure("group.rotateKey", "{\"group_id\":\"" + cast.groupId() + "\"}"));

    JsonObject memberActive = ok(cast.getKey(cast.member(), ""));
    JsonObject memberV1 = ok(cast.getKey(cast.member(), "&version=1"));

    assertThat(memberActive.getInt("version"), equalTo(2));
    assertThat(memberActive.getString("secretKey"), not(equalTo(v1.getString("secretKey"))));
    assertThat(memberV1, equalTo(v1));
    assertError(cast.getKey(cast.outsider(), ""), 403, "Forbidden", "Not a member of this group");
    assertError(
        cast.getKey(cast.member(), "&version=9"), 404, "Not Found", "Key version not found");
    // Past what a stored version can be: still "not found", never the active key.
    assertError(
        cast.getKey(cast.member(), "&version=2147483648"),
        404,
        "Not Found",
        "Key version not found");
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void addMemberAnswersAddedThenConflict(TestDatabase db) {
    Cast cast = Cast.on(servers.on(db));
    ok(cast.getKey(cast.owner(), ""));

    JsonObject added = ok(cast.membership("addMember", cast.memberDid()));

    assertThat(added.getString("groupId"), equalTo(cast.groupId()));
    assertThat(added.getString("memberDid"), equalTo(cast.memberDid()));
    assertThat(added.getString("status"), equalTo("added"));
    assertError(
        cast.membership("addMember", cast.memberDid()), 409, "Conflict", "Member already in group");
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void aRemovedMemberLosesAccessAtOnce(TestDatabase db) {
    Cast cast = Cast.on(servers.on(db));
    ok(cast.getKey(cast.owner(), ""));
    ok(cast.membership("addMember", cast.memberDid()));
    ok(cast.getKey(cast.member(), ""));

    JsonObject removed = ok(cast.membership("removeMember", cast.memberDid()));

    assertThat(removed.getString("status"), equalTo("removed"));
    assertError(cast.getKey(cast.member(), ""), 403, "Forbidden", "Not a member");
    assertError(
        cast.membership("removeMember", cast.memberDid()), 404, "Not Found", "Member not in group");
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void onlyTheOwnerManagesTheGroup(TestDatabase db) {
    Cast cast = Cast.on(servers.on(db));
    ok(cast.getKey(cast.owner(), ""));
    ok(cast.membership("addMember", cast.memberDid()));
    String body =
        "{\"group_id\":\"" + cast.groupId() + "\",\"member_did\":\"" + cast.memberDid() + "\"}";

    assertError(
        cast.member().procedure("group.rotateKey", "{\"group_id\":\"" + cast.groupId() + "\"}"),
        403,
        "Forbidden",
        "owner");
    assertError(cast.member().procedure("group.addMember", body), 403, "Forbidden", "owner");
    assertError(cast.outsider().procedure("group.removeMember", body), 403, "Forbidden", "owner");
    assertThat(ok(cast.getKey(cast.member(), "")).getInt("version"), equalTo(1));
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void listVersionsIsForOwnerAndMembers(TestDatabase db) {
    Cast cast = Cast.on(servers.on(db));
    ok(cast.getKey(cast.owner(), ""));
    ok(cast.membership("addMember", cast.memberDid()));
    ok(
        cast.owner()
            .procedure(
                "group.rotateKey",
                "{\"group_id\":\"" + cast.groupId() + "\",\"reason\":\"suspected_compromise\"}"));
    String query = "group_id=" + encode(cast.groupId());

    JsonObject list = ok(cast.member().query("group.listVersions", query));

    assertThat(list.getString("groupId"), equalTo(cast.groupId()));
    List<JsonObject> versions = list.getJsonArray("versions").getValuesAs(JsonObject.class);
    assertThat(
        versions.stream().map(v -> v.getString("status")).toList(), contains("active", "revoked"));
    assertError(
        cast.outsider().query("group.listVersions", query), 403, "Forbidden", "Not a member");
    assertError(
        cast.owner().query("group.listVersions", "group_id=" + encode("no-hash-here")),
        400,
        "Bad Request",
        "group_id");
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void rotatingAMissingGroupIsNotFound(TestDatabase db) {
    Cast cast = Cast.on(servers.on(db));
    assertError(
        cast.owner().procedure("group.rotateKey", "{\"group_id\":\"" + cast.groupId() + "\"}"),
        404,
        "Not Found",
        "Group not found");
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void malformedIdsAreBadRequests(TestDatabase db) {
    Cast cast = Cast.on(servers.on(db));
    ok(cast.getKey(cast.owner(), ""));
    for (String groupId :
        List.of(
            "followers",
            "not-a-did#x",
            "did:key:zQ3sh#x",
            cast.groupId() + "/x",
            cast.groupId().replace("followers", ""))) {
      HttpResponse<String> response =
          cast.owner().query("group.getKey", "group_id=" + encode(groupId));
      assertError(response, 400, "Bad Request", "group_id");
    }
    assertError(cast.owner().query("group.getKey", ""), 400, "Bad Request", "group_id");
    assertError(cast.membership("addMember", "not-a-did"), 400, "Bad Request", "member_did");
    assertError(cast.membership("addMember", "did:key:zQ3sh"), 400, "Bad Request", "member_did");
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void addingTheOwnerIsABadRequest(TestDatabase db) {
    Cast cast = Cast.on(servers.on(db));
    ok(cast.getKey(cast.owner(), ""));
    String ownerDid = cast.groupId().substring(0, cast.groupId().indexOf('#'));
    assertError(cast.membership("addMember", ownerDid), 400, "Bad Request", "owner");
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void aFailedLookupCreatesNothing(TestDatabase db) {
    Cast cast = Cast.on(servers.on(db));
    assertError(cast.getKey(cast.owner(), "&version=7"), 404, "Not Found", "Group not found");
    assertError(
        cast.membership("addMember", cast.memberDid()), 404, "Not Found", "Group not found");
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void parallelFirstGetKeysCreateOneGroupVersion(TestDatabase db) throws Exception {
    Cast cast = Cast.on(servers.on(db));

    List<HttpResponse<String>> responses = inParallel(20, () -> cast.getKey(cast.owner(), ""));

    String secret = ok(responses.get(0)).getString("secretKey");
    for (HttpResponse<String> response : responses) {
      assertThat(ok(response).getString("secretKey"), equalTo(secret));
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void parallelGroupRotationsStayContiguous(TestDatabase db) throws Exception {
    Cast cast = Cast.on(servers.on(db));
    ok(cast.getKey(cast.owner(), ""));
    String body = "{\"group_id\":\"" + cast.groupId() + "\"}";

    for (HttpResponse<String> response :
        inParallel(10, () -> cast.owner().procedure("group.rotateKey", body))) {
      ok(response);
    }

    List<JsonObject> versions =
        ok(cast.owner().query("group.listVersions", "group_id=" + encode(cast.groupId())))
            .getJsonArray("versions")
            .getValuesAs(JsonObject.class);
    assertThat(
        versions.stream().map(v -> v.getInt("version")).toList(),
        contains(11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1));
    assertThat(
        versions.stream().filter(v -> v.getString("status").equals("active")).count(), equalTo(1L));
  }
}
