package dev.atpkeyserver.server.group;

import static dev.atpkeyserver.server.testing.Inputs.addMember;
import static dev.atpkeyserver.server.testing.Inputs.groupKey;
import static dev.atpkeyserver.server.testing.Inputs.groupRotation;
import static dev.atpkeyserver.server.testing.Inputs.groupVersions;
import static dev.atpkeyserver.server.testing.Inputs.removeMember;
import static dev.atpkeyserver.server.testing.RegexMatcher.matchesPattern;
import static dev.atpkeyserver.server.testing.Responses.assertError;
import static dev.atpkeyserver.server.testing.Responses.inParallel;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import dev.atpkeyserver.lexicon.alpha.Defs;
import dev.atpkeyserver.lexicon.alpha.group.AddMember;
import dev.atpkeyserver.lexicon.alpha.group.GetKey;
import dev.atpkeyserver.lexicon.alpha.group.ListVersions;
import dev.atpkeyserver.lexicon.alpha.group.RemoveMember;
import dev.atpkeyserver.lexicon.alpha.group.RotateKey;
import dev.atpkeyserver.lexicon.client.KeyserverClient;
import dev.atpkeyserver.server.testing.EachDatabase;
import dev.atpkeyserver.server.testing.KeyserverExtension;
import dev.atpkeyserver.server.testing.TestDatabase;
import dev.atpkeyserver.server.testing.TestServer;
import dev.atpkeyserver.server.testing.TestUser;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Group keys and memberships end to end, on each database, through the typed client. */
class GroupApiTest {

  @RegisterExtension static final KeyserverExtension keyserver = new KeyserverExtension();

  /** An owner, a member and an outsider around one fresh group. */
  private record Cast(
      TestServer server,
      TestUser ownerUser,
      KeyserverClient owner,
      KeyserverClient member,
      KeyserverClient outsider,
      String groupId,
      String memberDid) {
    static Cast on(TestDatabase db) {
      TestServer server = keyserver.on(db);
      TestUser owner = keyserver.newUser();
      TestUser member = keyserver.newUser();
      return new Cast(
          server,
          owner,
          server.as(owner),
          server.as(member),
          server.as(keyserver.newUser()),
          owner.did() + "#followers",
          member.did());
    }

    String ownerToken(String nsid) {
      return ownerUser.token(server.serviceDid(), nsid);
    }

    GetKey.Output getKey(KeyserverClient who) {
      return who.groupGetKey(groupKey(groupId));
    }

    AddMember.Output addTheMember() {
      return owner.groupAddMember(addMember(groupId, memberDid));
    }

    RotateKey.Output rotate() {
      return owner.groupRotateKey(groupRotation(groupId));
    }
  }

  @EachDatabase
  void theOwnersFirstGetKeyCreatesTheGroup(TestDatabase db) {
    Cast cast = Cast.on(db);

    GetKey.Output key = cast.getKey(cast.owner());

    assertThat(key.groupId(), equalTo(cast.groupId()));
    assertThat(key.secretKey(), matchesPattern("[0-9a-f]{64}"));
    assertThat(key.version(), equalTo(1L));
    assertThat(cast.getKey(cast.owner()), equalTo(key));
  }

  @EachDatabase
  void nobodyElseCanCreateSomeonesGroup(TestDatabase db) {
    Cast cast = Cast.on(db);
    assertError(() -> cast.getKey(cast.outsider()), 404, "Not Found", "Group not found");
    // ...and the attempt did not create it for the owner either.
    assertError(cast::addTheMember, 404, "Not Found", "Group not found");
  }

  @EachDatabase
  void membersReadEveryVersionAndOutsidersAreForbidden(TestDatabase db) {
    Cast cast = Cast.on(db);
    GetKey.Output v1 = cast.getKey(cast.owner());
    cast.addTheMember();
    cast.rotate();

    GetKey.Output memberActive = cast.getKey(cast.member());
    GetKey.Output memberV1 = cast.member().groupGetKey(groupKey(cast.groupId(), 1));

    assertThat(memberActive.version(), equalTo(2L));
    assertThat(memberActive.secretKey(), not(equalTo(v1.secretKey())));
    assertThat(memberV1, equalTo(v1));
    assertError(() -> cast.getKey(cast.outsider()), 403, "Forbidden", "Not a member of this group");
    assertError(
        () -> cast.member().groupGetKey(groupKey(cast.groupId(), 9)),
        404,
        "Not Found",
        "Key version not found");
    // Past what a stored version can be: still "not found", never the active key.
    assertError(
        () -> cast.member().groupGetKey(groupKey(cast.groupId(), 2147483648L)),
        404,
        "Not Found",
        "Key version not found");
  }

  @EachDatabase
  void addMemberAnswersAddedThenConflict(TestDatabase db) {
    Cast cast = Cast.on(db);
    cast.getKey(cast.owner());

    AddMember.Output added = cast.addTheMember();

    assertThat(added.groupId(), equalTo(cast.groupId()));
    assertThat(added.memberDid(), equalTo(cast.memberDid()));
    assertThat(added.status(), equalTo("added"));
    assertError(cast::addTheMember, 409, "Conflict", "Member already in group");
  }

  @EachDatabase
  void aRemovedMemberLosesAccessAtOnce(TestDatabase db) {
    Cast cast = Cast.on(db);
    cast.getKey(cast.owner());
    cast.addTheMember();
    cast.getKey(cast.member());

    RemoveMember.Output removed =
        cast.owner().groupRemoveMember(removeMember(cast.groupId(), cast.memberDid()));

    assertThat(removed.status(), equalTo("removed"));
    assertError(() -> cast.getKey(cast.member()), 403, "Forbidden", "Not a member");
    assertError(
        () -> cast.owner().groupRemoveMember(removeMember(cast.groupId(), cast.memberDid())),
        404,
        "Not Found",
        "Member not in group");
  }

  @EachDatabase
  void onlyTheOwnerManagesTheGroup(TestDatabase db) {
    Cast cast = Cast.on(db);
    cast.getKey(cast.owner());
    cast.addTheMember();

    assertError(
        () -> cast.member().groupRotateKey(groupRotation(cast.groupId())),
        403,
        "Forbidden",
        "owner");
    assertError(
        () -> cast.member().groupAddMember(addMember(cast.groupId(), cast.memberDid())),
        403,
        "Forbidden",
        "owner");
    assertError(
        () -> cast.outsider().groupRemoveMember(removeMember(cast.groupId(), cast.memberDid())),
        403,
        "Forbidden",
        "owner");
    assertThat(cast.getKey(cast.member()).version(), equalTo(1L));
  }

  @EachDatabase
  void listVersionsIsForOwnerAndMembers(TestDatabase db) {
    Cast cast = Cast.on(db);
    cast.getKey(cast.owner());
    cast.addTheMember();
    cast.owner().groupRotateKey(new RotateKey.Input(cast.groupId(), "suspected_compromise"));

    ListVersions.Output list = cast.member().groupListVersions(groupVersions(cast.groupId()));

    assertThat(list.groupId(), equalTo(cast.groupId()));
    assertThat(
        list.versions().stream().map(Defs.KeyVersion::status).toList(),
        contains("active", "revoked"));
    assertError(
        () -> cast.outsider().groupListVersions(groupVersions(cast.groupId())),
        403,
        "Forbidden",
        "Not a member");
    assertError(
        () -> cast.owner().groupListVersions(groupVersions("no-hash-here")),
        400,
        "Bad Request",
        "group_id");
  }

  @EachDatabase
  void rotatingAMissingGroupIsNotFound(TestDatabase db) {
    Cast cast = Cast.on(db);
    assertError(cast::rotate, 404, "Not Found", "Group not found");
  }

  @EachDatabase
  void malformedIdsAreBadRequests(TestDatabase db) {
    Cast cast = Cast.on(db);
    cast.getKey(cast.owner());
    for (String groupId :
        List.of(
            "followers",
            "not-a-did#x",
            "did:key:zQ3sh#x",
            cast.groupId() + "/x",
            cast.groupId().replace("followers", ""))) {
      assertError(
          () -> cast.owner().groupGetKey(groupKey(groupId)), 400, "Bad Request", "group_id");
    }
    // A missing group_id cannot be typed: raw, with the owner's token.
    assertError(
        cast.server()
            .get("/xrpc/" + GetKey.NSID, "Authorization", "Bearer " + cast.ownerToken(GetKey.NSID)),
        400,
        "Bad Request",
        "group_id");
    assertError(
        () -> cast.owner().groupAddMember(addMember(cast.groupId(), "not-a-did")),
        400,
        "Bad Request",
        "member_did");
    assertError(
        () -> cast.owner().groupAddMember(addMember(cast.groupId(), "did:key:zQ3sh")),
        400,
        "Bad Request",
        "member_did");
  }

  @EachDatabase
  void addingTheOwnerIsABadRequest(TestDatabase db) {
    Cast cast = Cast.on(db);
    cast.getKey(cast.owner());
    String ownerDid = cast.groupId().substring(0, cast.groupId().indexOf('#'));
    assertError(
        () -> cast.owner().groupAddMember(addMember(cast.groupId(), ownerDid)),
        400,
        "Bad Request",
        "owner");
  }

  @EachDatabase
  void aFailedLookupCreatesNothing(TestDatabase db) {
    Cast cast = Cast.on(db);
    assertError(
        () -> cast.owner().groupGetKey(groupKey(cast.groupId(), 7)),
        404,
        "Not Found",
        "Group not found");
    assertError(cast::addTheMember, 404, "Not Found", "Group not found");
  }

  @EachDatabase
  void parallelFirstGetKeysCreateOneGroupVersion(TestDatabase db) throws Exception {
    Cast cast = Cast.on(db);

    List<GetKey.Output> keys = inParallel(20, () -> cast.getKey(cast.owner()));

    for (GetKey.Output key : keys) {
      assertThat(key.secretKey(), equalTo(keys.get(0).secretKey()));
    }
  }

  @EachDatabase
  void parallelGroupRotationsStayContiguous(TestDatabase db) throws Exception {
    Cast cast = Cast.on(db);
    cast.getKey(cast.owner());

    // Every rotation answers 200, or the typed call throws and fails the test.
    inParallel(10, cast::rotate);

    List<Defs.KeyVersion> versions =
        cast.owner().groupListVersions(groupVersions(cast.groupId())).versions();
    assertThat(
        versions.stream().map(Defs.KeyVersion::version).toList(),
        contains(11L, 10L, 9L, 8L, 7L, 6L, 5L, 4L, 3L, 2L, 1L));
    assertThat(versions.stream().filter(v -> v.status().equals("active")).count(), equalTo(1L));
  }
}
