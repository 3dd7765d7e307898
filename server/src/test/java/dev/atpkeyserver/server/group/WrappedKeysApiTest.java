package dev.atpkeyserver.server.group;

import static dev.atpkeyserver.server.testing.Inputs.addMember;
import static dev.atpkeyserver.server.testing.Inputs.groupKey;
import static dev.atpkeyserver.server.testing.Inputs.removeMember;
import static dev.atpkeyserver.server.testing.Responses.assertError;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import dev.atpkeyserver.lexicon.alpha.group.GetWrappedKey;
import dev.atpkeyserver.lexicon.alpha.group.PutWrappedKeys;
import dev.atpkeyserver.lexicon.alpha.group.PutWrappedKeys.WrappedKeyInput;
import dev.atpkeyserver.lexicon.client.KeyserverClient;
import dev.atpkeyserver.server.testing.EachDatabase;
import dev.atpkeyserver.server.testing.KeyserverExtension;
import dev.atpkeyserver.server.testing.TestDatabase;
import dev.atpkeyserver.server.testing.TestServer;
import dev.atpkeyserver.server.testing.TestUser;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Client-wrapped group keys end to end, on each database, through the typed client. */
class WrappedKeysApiTest {

  @RegisterExtension static final KeyserverExtension keyserver = new KeyserverExtension();

  private static final SecureRandom RANDOM = new SecureRandom();

  /** An owner with a group, a member and an outsider. */
  private record Cast(
      TestServer server,
      KeyserverClient owner,
      KeyserverClient member,
      KeyserverClient outsider,
      String groupId,
      String ownerDid,
      String memberDid,
      String outsiderDid) {
    static Cast on(TestDatabase db) {
      TestServer server = keyserver.on(db);
      TestUser owner = keyserver.newUser();
      TestUser member = keyserver.newUser();
      TestUser outsider = keyserver.newUser();
      Cast cast =
          new Cast(
              server,
              server.as(owner),
              server.as(member),
              server.as(outsider),
              owner.did() + "#room",
              owner.did(),
              member.did(),
              outsider.did());
      cast.owner().groupGetKey(groupKey(cast.groupId()));
      cast.owner().groupAddMember(addMember(cast.groupId(), cast.memberDid()));
      return cast;
    }

    PutWrappedKeys.Output put(String keyId, WrappedKeyInput... copies) {
      return owner.groupPutWrappedKeys(new PutWrappedKeys.Input(groupId, keyId, List.of(copies)));
    }

    GetWrappedKey.Output get(KeyserverClient who, Optional<String> keyId) {
      return who.groupGetWrappedKey(new GetWrappedKey.Params(groupId, keyId));
    }
  }

  static String ciphertext(int size) {
    byte[] bytes = new byte[size];
    RANDOM.nextBytes(bytes);
    return Base64.getEncoder().encodeToString(bytes);
  }

  static WrappedKeyInput copy(String memberDid, String deviceId, String ciphertext) {
    return new WrappedKeyInput(memberDid, Optional.ofNullable(deviceId), ciphertext);
  }

  @EachDatabase
  void eachMemberGetsOnlyTheirOwnCopies(TestDatabase db) {
    Cast cast = Cast.on(db);
    String forOwner = ciphertext(80);
    String forPhone = ciphertext(80);
    String forLaptop = ciphertext(WrappedKeys.MAX_CIPHERTEXT_BYTES);

    PutWrappedKeys.Output put =
        cast.put(
            "k1",
            copy(cast.ownerDid(), null, forOwner),
            copy(cast.memberDid(), "phone", forPhone),
            copy(cast.memberDid(), "laptop", forLaptop));

    assertThat(put, equalTo(new PutWrappedKeys.Output(cast.groupId(), "k1", 3, true)));
    GetWrappedKey.Output member = cast.get(cast.member(), Optional.empty());
    assertThat(member.keyId(), equalTo("k1"));
    assertThat(
        member.wrappedKeys().stream().map(k -> k.deviceId().orElseThrow()).toList(),
        contains("laptop", "phone"));
    assertThat(
        member.wrappedKeys().stream().map(GetWrappedKey.WrappedKey::ciphertext).toList(),
        contains(forLaptop, forPhone));
    GetWrappedKey.Output owner = cast.get(cast.owner(), Optional.of("k1"));
    assertThat(owner.wrappedKeys().size(), equalTo(1));
    assertThat(owner.wrappedKeys().get(0).deviceId(), equalTo(Optional.empty()));
    assertThat(owner.wrappedKeys().get(0).ciphertext(), equalTo(forOwner));
  }

  @EachDatabase
  void aNewKeyIdBecomesCurrentAndOldOnesStayReadable(TestDatabase db) {
    Cast cast = Cast.on(db);
    String old = ciphertext(48);
    cast.put("k1", copy(cast.memberDid(), null, old));
    cast.put("k2", copy(cast.memberDid(), null, ciphertext(48)));

    // Copies for a key id the group already had: stored, but it does not become current again.
    PutWrappedKeys.Output again = cast.put("k1", copy(cast.ownerDid(), null, ciphertext(48)));

    assertThat(again.current(), equalTo(false));
    assertThat(cast.get(cast.member(), Optional.empty()).keyId(), equalTo("k2"));
    assertThat(
        cast.get(cast.member(), Optional.of("k1")).wrappedKeys().get(0).ciphertext(), equalTo(old));
    // Putting the same member and device again replaces the copy.
    String replaced = ciphertext(48);
    cast.put("k1", copy(cast.memberDid(), null, replaced));
    assertThat(
        cast.get(cast.member(), Optional.of("k1")).wrappedKeys().stream()
            .map(GetWrappedKey.WrappedKey::ciphertext)
            .toList(),
        contains(replaced));
  }

  @EachDatabase
  void onlyTheOwnerPutsAndOnlyForTheOwnerOrMembers(TestDatabase db) {
    Cast cast = Cast.on(db);
    PutWrappedKeys.Input input =
        new PutWrappedKeys.Input(
            cast.groupId(), "k1", List.of(copy(cast.memberDid(), null, ciphertext(32))));
    assertError(() -> cast.member().groupPutWrappedKeys(input), 403, "Forbidden", "owner");
    assertError(() -> cast.outsider().groupPutWrappedKeys(input), 403, "Forbidden", "owner");
    String missing = cast.ownerDid() + "#nosuchgroup";
    assertError(
        () ->
            cast.owner()
                .groupPutWrappedKeys(new PutWrappedKeys.Input(missing, "k1", input.wrappedKeys())),
        404,
        "Not Found",
        "Group not found");
    // One copy for an outsider spoils the whole call.
    assertError(
        () ->
            cast.put(
                "k1",
                copy(cast.memberDid(), null, ciphertext(32)),
                copy(cast.outsiderDid(), null, ciphertext(32))),
        400,
        "Bad Request",
        "wrappedKeys[1].memberDid");
    assertError(
        () -> cast.get(cast.owner(), Optional.empty()), 404, "Not Found", "Wrapped key not found");
  }

  @EachDatabase
  void getAnswersLikeGetKey(TestDatabase db) {
    Cast cast = Cast.on(db);
    assertError(
        () -> cast.get(cast.member(), Optional.empty()), 404, "Not Found", "Wrapped key not found");
    cast.put("k1", copy(cast.memberDid(), null, ciphertext(32)));

    assertError(
        () -> cast.get(cast.outsider(), Optional.empty()),
        403,
        "Forbidden",
        "Not a member of this group");
    assertError(
        () ->
            cast.outsider()
                .groupGetWrappedKey(
                    new GetWrappedKey.Params(cast.ownerDid() + "#other", Optional.empty())),
        404,
        "Not Found",
        "Group not found");
    assertError(
        () -> cast.get(cast.member(), Optional.of("k9")),
        404,
        "Not Found",
        "Wrapped key not found");
    // The owner has no copy of k1: nothing of anyone else's is handed out.
    assertError(
        () -> cast.get(cast.owner(), Optional.of("k1")), 404, "Not Found", "Wrapped key not found");
  }

  @EachDatabase
  void removingAMemberDeletesTheirCopies(TestDatabase db) {
    Cast cast = Cast.on(db);
    cast.put(
        "k1",
        copy(cast.memberDid(), "phone", ciphertext(32)),
        copy(cast.ownerDid(), null, ciphertext(32)));

    cast.owner().groupRemoveMember(removeMember(cast.groupId(), cast.memberDid()));
    cast.owner().groupAddMember(addMember(cast.groupId(), cast.memberDid()));

    assertError(
        () -> cast.get(cast.member(), Optional.empty()), 404, "Not Found", "Wrapped key not found");
    assertThat(cast.get(cast.owner(), Optional.empty()).wrappedKeys().size(), equalTo(1));
  }

  @EachDatabase
  void badInputIsABadRequestAndStoresNothing(TestDatabase db) {
    Cast cast = Cast.on(db);
    String good = ciphertext(32);
    List<WrappedKeyInput> tooMany = new ArrayList<>();
    for (int i = 0; i < 1001; i++) {
      tooMany.add(copy(cast.memberDid(), "d" + i, good));
    }
    record Bad(String keyId, List<WrappedKeyInput> copies, String message) {}
    List<Bad> cases =
        List.of(
            new Bad("has space", List.of(copy(cast.memberDid(), null, good)), "keyId"),
            new Bad("", List.of(copy(cast.memberDid(), null, good)), "keyId"),
            new Bad("k".repeat(65), List.of(copy(cast.memberDid(), null, good)), "keyId"),
            new Bad("k1", List.of(copy(cast.memberDid(), null, "not base64!")), "ciphertext"),
            new Bad("k1", List.of(copy(cast.memberDid(), null, "AAA")), "ciphertext"),
            new Bad("k1", List.of(copy(cast.memberDid(), null, "")), "ciphertext"),
            new Bad(
                "k1",
                List.of(
                    copy(cast.memberDid(), null, ciphertext(WrappedKeys.MAX_CIPHERTEXT_BYTES + 1))),
                "ciphertext"),
            new Bad("k1", List.of(copy(cast.memberDid(), "bad device", good)), "deviceId"),
            new Bad("k1", List.of(copy("not-a-did", null, good)), "memberDid"),
            new Bad(
                "k1",
                List.of(copy(cast.memberDid(), "a", good), copy(cast.memberDid(), "a", good)),
                "wrappedKeys[1]"),
            new Bad("k1", List.of(), "wrappedKeys"),
            new Bad("k1", tooMany, "wrappedKeys"));
    for (Bad bad : cases) {
      assertError(
          () ->
              cast.owner()
                  .groupPutWrappedKeys(
                      new PutWrappedKeys.Input(cast.groupId(), bad.keyId(), bad.copies())),
          400,
          "Bad Request",
          bad.message());
    }
    assertError(() -> cast.get(cast.member(), Optional.of("bad key")), 400, "Bad Request", "keyId");
    assertError(
        () ->
            cast.member().groupGetWrappedKey(new GetWrappedKey.Params("no-hash", Optional.empty())),
        400,
        "Bad Request",
        "groupId");
    assertError(
        () -> cast.get(cast.member(), Optional.empty()), 404, "Not Found", "Wrapped key not found");
  }
}
