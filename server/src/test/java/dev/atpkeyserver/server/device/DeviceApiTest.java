package dev.atpkeyserver.server.device;

import static dev.atpkeyserver.server.testing.Inputs.logs;
import static dev.atpkeyserver.server.testing.Responses.assertError;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;

import com.google.crypto.tink.subtle.Ed25519Verify;
import dev.atpkeyserver.lexicon.alpha.Defs.AccessLog;
import dev.atpkeyserver.lexicon.alpha.device.ClaimBundles;
import dev.atpkeyserver.lexicon.alpha.device.Defs;
import dev.atpkeyserver.lexicon.alpha.device.Defs.Bundle;
import dev.atpkeyserver.lexicon.alpha.device.Defs.DeviceView;
import dev.atpkeyserver.lexicon.alpha.device.Defs.OneTimePreKey;
import dev.atpkeyserver.lexicon.alpha.device.Defs.SignedPreKey;
import dev.atpkeyserver.lexicon.alpha.device.Register;
import dev.atpkeyserver.lexicon.alpha.device.Revoke;
import dev.atpkeyserver.lexicon.alpha.device.UploadPreKeys;
import dev.atpkeyserver.lexicon.client.KeyserverClient;
import dev.atpkeyserver.server.testing.DeviceKeys;
import dev.atpkeyserver.server.testing.EachDatabase;
import dev.atpkeyserver.server.testing.Json;
import dev.atpkeyserver.server.testing.KeyserverExtension;
import dev.atpkeyserver.server.testing.TestDatabase;
import dev.atpkeyserver.server.testing.TestServer;
import dev.atpkeyserver.server.testing.TestUser;
import dev.atpkeyserver.xrpc.JsonOut;
import dev.atpkeyserver.xrpc.client.XrpcClientException;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Devices and their prekeys end to end, on each database, through the typed client. */
class DeviceApiTest {

  @RegisterExtension static final KeyserverExtension keyserver = new KeyserverExtension();

  private static final long CLAIM_LIMIT = 3;

  /** With rate limits on, and a claim budget of {@value #CLAIM_LIMIT} a minute. */
  @RegisterExtension
  static final KeyserverExtension limited =
      new KeyserverExtension(
          Map.of(
              "keyserver.rate-limit.enabled",
              "true",
              "keyserver.rate-limit.claim.requests",
              String.valueOf(CLAIM_LIMIT)));

  /** A user with one device's keys, calling one server. */
  private record Owner(TestServer server, TestUser user, KeyserverClient client, DeviceKeys keys) {
    static Owner on(TestServer server, KeyserverExtension extension) {
      TestUser user = extension.newUser();
      return new Owner(server, user, server.as(user), DeviceKeys.generate());
    }

    static Owner on(TestDatabase db) {
      return on(keyserver.on(db), keyserver);
    }

    String did() {
      return user.did();
    }

    /** Registers {@code deviceId} with a signed prekey "s1", one-time prekeys and a last resort. */
    Register.Output register(
        String deviceId, List<OneTimePreKey> oneTime, Optional<SignedPreKey> lastResort) {
      return client.deviceRegister(
          keys.registration(deviceId, keys.signedKey("s1"), oneTime, lastResort));
    }

    UploadPreKeys.Output upload(
        String deviceId,
        Optional<SignedPreKey> signed,
        List<OneTimePreKey> oneTime,
        Optional<SignedPreKey> lastResort) {
      return client.deviceUploadPreKeys(DeviceKeys.upload(deviceId, signed, oneTime, lastResort));
    }

    UploadPreKeys.Output uploadOneTime(String deviceId, List<OneTimePreKey> oneTime) {
      return upload(deviceId, Optional.empty(), oneTime, Optional.empty());
    }

    Revoke.Output revoke(String deviceId, String reason) {
      return client.deviceRevoke(new Revoke.Input(deviceId, reason));
    }

    /** This user's devices as they see them. */
    List<DeviceView> devices(boolean includeRevoked) {
      return list(client, did(), includeRevoked);
    }

    /** A raw POST with this user's token: for bodies no typed call can send. */
    java.net.http.HttpResponse<String> post(String nsid, String json) {
      return server.postJson(
          "/xrpc/" + nsid,
          json,
          "Authorization",
          "Bearer " + user.token(server.serviceDid(), nsid));
    }
  }

  private static List<Bundle> claim(KeyserverClient claimer, String did) {
    return claimer.deviceClaimBundles(new ClaimBundles.Input(did, Optional.empty())).bundles();
  }

  private static List<Bundle> claim(KeyserverClient claimer, String did, String deviceId) {
    return claimer.deviceClaimBundles(new ClaimBundles.Input(did, Optional.of(deviceId))).bundles();
  }

  private static List<DeviceView> list(KeyserverClient caller, String did, boolean revoked) {
    return caller
        .deviceList(new dev.atpkeyserver.lexicon.alpha.device.List.Params(did, revoked))
        .devices();
  }

  private static KeyserverClient someone(TestDatabase db) {
    return keyserver.on(db).as(keyserver.newUser());
  }

  @EachDatabase
  void registersADeviceAndHandsOutItsBundle(TestDatabase db) throws GeneralSecurityException {
    Owner alice = Owner.on(db);
    SignedPreKey signed = alice.keys().signedKey("signed-1");
    SignedPreKey lastResort = alice.keys().signedKey("last-resort-1");
    List<OneTimePreKey> oneTime = DeviceKeys.oneTimeKeys("otk-", 3);

    Register.Output registered =
        alice
            .client()
            .deviceRegister(
                alice
                    .keys()
                    .registration(
                        "phone",
                        Optional.of("Alice's phone"),
                        signed,
                        oneTime,
                        Optional.of(lastResort)));

    assertThat(registered.deviceId(), equalTo("phone"));
    assertThat(registered.fingerprint(), equalTo(alice.keys().fingerprint()));
    assertThat(registered.oneTimePreKeyCount(), equalTo(3L));
    assertThat(registered.status(), equalTo("active"));

    List<Bundle> bundles = claim(someone(db), alice.did());

    assertThat(bundles, hasSize(1));
    Bundle bundle = bundles.get(0);
    assertThat(bundle.deviceId(), equalTo("phone"));
    assertThat(bundle.identityKey(), equalTo(alice.keys().identityKey()));
    assertThat(bundle.fingerprint(), equalTo(alice.keys().fingerprint()));
    assertThat(bundle.signedPreKey(), equalTo(signed));
    // The oldest one-time prekey first, exactly as uploaded.
    assertThat(bundle.oneTimePreKey(), equalTo(Optional.of(oneTime.get(0))));
    assertThat(bundle.lastResortKey(), equalTo(Optional.empty()));
    assertThat(bundle.remainingOneTimePreKeys(), equalTo(2L));
    // What a sender does before using the bundle: the signature checks out.
    HexFormat hex = HexFormat.of();
    new Ed25519Verify(hex.parseHex(bundle.identityKey()))
        .verify(
            hex.parseHex(bundle.signedPreKey().signature()),
            hex.parseHex(bundle.signedPreKey().publicKey()));
  }

  @EachDatabase
  void eachOneTimePreKeyGoesOnceThenTheLastResortKey(TestDatabase db) {
    Owner alice = Owner.on(db);
    List<OneTimePreKey> oneTime = DeviceKeys.oneTimeKeys("k", 2);
    SignedPreKey lastResort = alice.keys().signedKey("lr");
    alice.register("laptop", oneTime, Optional.of(lastResort));
    KeyserverClient bob = someone(db);

    Bundle first = claim(bob, alice.did()).get(0);
    Bundle second = claim(someone(db), alice.did()).get(0);
    Bundle third = claim(bob, alice.did()).get(0);
    Bundle fourth = claim(bob, alice.did()).get(0);

    assertThat(first.oneTimePreKey(), equalTo(Optional.of(oneTime.get(0))));
    assertThat(second.oneTimePreKey(), equalTo(Optional.of(oneTime.get(1))));
    assertThat(second.remainingOneTimePreKeys(), equalTo(0L));
    for (Bundle exhausted : List.of(third, fourth)) {
      assertThat(exhausted.oneTimePreKey(), equalTo(Optional.empty()));
      assertThat(exhausted.lastResortKey(), equalTo(Optional.of(lastResort)));
      assertThat(exhausted.remainingOneTimePreKeys(), equalTo(0L));
    }
  }

  @EachDatabase
  void aDeviceWithoutLastResortKeyRunsOutToNeither(TestDatabase db) {
    Owner alice = Owner.on(db);
    alice.register("phone", List.of(), Optional.empty());

    Bundle bundle = claim(someone(db), alice.did()).get(0);

    assertThat(bundle.oneTimePreKey(), equalTo(Optional.empty()));
    assertThat(bundle.lastResortKey(), equalTo(Optional.empty()));
    assertThat(bundle.signedPreKey().keyId(), equalTo("s1"));
  }

  @EachDatabase
  void claimsEveryActiveDeviceOrTheOneNamed(TestDatabase db) {
    Owner alice = Owner.on(db);
    alice.register("tablet", DeviceKeys.oneTimeKeys("t", 1), Optional.empty());
    alice.register("phone", DeviceKeys.oneTimeKeys("p", 1), Optional.empty());
    KeyserverClient bob = someone(db);

    List<Bundle> all = claim(bob, alice.did());
    List<Bundle> one = claim(bob, alice.did(), "phone");

    assertThat(all.stream().map(Bundle::deviceId).toList(), contains("phone", "tablet"));
    assertThat(one, hasSize(1));
    assertThat(one.get(0).deviceId(), equalTo("phone"));
    assertThat(one.get(0).oneTimePreKey(), equalTo(Optional.empty()));
    assertError(() -> claim(bob, alice.did(), "watch"), 404, "Not Found", "Device not found");
    String nobody = keyserver.newUser().did();
    assertError(() -> claim(bob, nobody), 404, "Not Found", "No active devices");
    assertError(() -> claim(bob, "did:example:x"), 400, "Bad Request", "'did'");
    assertError(() -> claim(bob, alice.did(), "no spaces"), 400, "Bad Request", "deviceId");
  }

  @EachDatabase
  void listShowsNamesAndCountsToTheOwnerOnly(TestDatabase db) {
    Owner alice = Owner.on(db);
    alice
        .client()
        .deviceRegister(
            alice
                .keys()
                .registration(
                    "phone",
                    Optional.of("Pixel"),
                    alice.keys().signedKey("s"),
                    DeviceKeys.oneTimeKeys("k", 4),
                    Optional.empty()));

    DeviceView own = alice.devices(false).get(0);
    DeviceView others = list(someone(db), alice.did(), false).get(0);

    assertThat(own.deviceId(), equalTo("phone"));
    assertThat(own.fingerprint(), equalTo(alice.keys().fingerprint()));
    assertThat(own.status(), equalTo("active"));
    assertThat(own.deviceName(), equalTo(Optional.of("Pixel")));
    assertThat(own.oneTimePreKeyCount(), equalTo(Optional.of(4L)));
    assertThat(own.revokedAt(), equalTo(Optional.empty()));
    assertThat(own.lastRotatedAt(), equalTo(Optional.empty()));
    assertThat(others.deviceName(), equalTo(Optional.empty()));
    assertThat(others.oneTimePreKeyCount(), equalTo(Optional.empty()));
    assertThat(others.fingerprint(), equalTo(alice.keys().fingerprint()));
    // Listing consumes nothing.
    assertThat(alice.devices(false).get(0).oneTimePreKeyCount(), equalTo(Optional.of(4L)));
    assertThat(list(alice.client(), keyserver.newUser().did(), true), empty());
    assertError(() -> list(alice.client(), "not-a-did", false), 400, "Bad Request", "'did'");
  }

  @EachDatabase
  void uploadAddsOneTimePreKeysAndReplacesSignedOnes(TestDatabase db) {
    Owner alice = Owner.on(db);
    alice.register("phone", DeviceKeys.oneTimeKeys("a", 1), Optional.empty());
    SignedPreKey newSigned = alice.keys().signedKey("s2");
    SignedPreKey lastResort = alice.keys().signedKey("lr1");

    UploadPreKeys.Output uploaded =
        alice.upload(
            "phone",
            Optional.of(newSigned),
            DeviceKeys.oneTimeKeys("b", 2),
            Optional.of(lastResort));

    assertThat(uploaded.deviceId(), equalTo("phone"));
    assertThat(uploaded.signedPreKeyId(), equalTo("s2"));
    assertThat(uploaded.oneTimePreKeyCount(), equalTo(3L));
    assertThat(uploaded.lastResortKeyId(), equalTo(Optional.of("lr1")));
    Bundle bundle = claim(someone(db), alice.did()).get(0);
    assertThat(bundle.signedPreKey(), equalTo(newSigned));
    assertThat(bundle.oneTimePreKey().orElseThrow().keyId(), equalTo("a0"));
    assertThat(alice.devices(false).get(0).lastRotatedAt().isPresent(), equalTo(true));

    // An upload of one-time prekeys alone keeps the signed and last-resort keys.
    UploadPreKeys.Output more = alice.uploadOneTime("phone", DeviceKeys.oneTimeKeys("c", 1));
    assertThat(more.signedPreKeyId(), equalTo("s2"));
    assertThat(more.lastResortKeyId(), equalTo(Optional.of("lr1")));
    assertThat(more.oneTimePreKeyCount(), equalTo(3L));
  }

  @EachDatabase
  void aKeyIdIsNeverUsedTwiceOnADevice(TestDatabase db) {
    Owner alice = Owner.on(db);
    alice.register(
        "phone", DeviceKeys.oneTimeKeys("k", 2), Optional.of(alice.keys().signedKey("lr")));
    claim(someone(db), alice.did()); // claims k0

    // Still stored, already claimed, an old signed prekey id, the active last-resort key's id.
    assertError(
        () -> alice.uploadOneTime("phone", List.of(DeviceKeys.oneTimeKey("k1"))),
        400,
        "Bad Request",
        "oneTimePreKeys[0].keyId");
    assertError(
        () ->
            alice.uploadOneTime(
                "phone", List.of(DeviceKeys.oneTimeKey("new"), DeviceKeys.oneTimeKey("k0"))),
        400,
        "Bad Request",
        "oneTimePreKeys[1].keyId");
    assertError(
        () ->
            alice.upload(
                "phone", Optional.of(alice.keys().signedKey("s1")), List.of(), Optional.empty()),
        400,
        "Bad Request",
        "signedPreKey.keyId");
    assertError(
        () ->
            alice.upload(
                "phone", Optional.empty(), List.of(), Optional.of(alice.keys().signedKey("lr"))),
        400,
        "Bad Request",
        "lastResortKey.keyId");

    // Nothing of the refused uploads was stored: still k1 only, and the same signed prekey.
    assertThat(alice.devices(false).get(0).oneTimePreKeyCount(), equalTo(Optional.of(1L)));
    Bundle bundle = claim(someone(db), alice.did()).get(0);
    assertThat(bundle.oneTimePreKey().orElseThrow().keyId(), equalTo("k1"));
    assertThat(bundle.signedPreKey().keyId(), equalTo("s1"));
  }

  @EachDatabase
  void uploadsGoToTheCallersActiveDevicesOnly(TestDatabase db) {
    Owner alice = Owner.on(db);
    Owner bob = Owner.on(db);
    alice.register("phone", List.of(), Optional.empty());
    List<OneTimePreKey> oneTime = DeviceKeys.oneTimeKeys("x", 1);

    assertError(() -> bob.uploadOneTime("phone", oneTime), 404, "Not Found", "Device not found");
    assertError(
        () -> alice.uploadOneTime("tablet", List.of()), 404, "Not Found", "Device not found");
    alice.revoke("phone", "lost");
    assertError(() -> alice.uploadOneTime("phone", oneTime), 404, "Not Found", "Device not found");
    // A signed prekey signed by another identity key is refused, whoever's device it is.
    alice.register("tablet", List.of(), Optional.empty());
    assertError(
        () ->
            alice.upload(
                "tablet", Optional.of(bob.keys().signedKey("s9")), List.of(), Optional.empty()),
        400,
        "Bad Request",
        "Invalid signature in 'signedPreKey'");
  }

  @EachDatabase
  void anActiveDeviceIdCannotBeRegisteredTwice(TestDatabase db) {
    Owner alice = Owner.on(db);
    alice.register("phone", List.of(), Optional.empty());
    DeviceKeys newKeys = DeviceKeys.generate();

    assertError(
        () ->
            alice
                .client()
                .deviceRegister(
                    newKeys.registration(
                        "phone", newKeys.signedKey("s"), List.of(), Optional.empty())),
        409,
        "Conflict",
        "revoke it");
    // The first registration's keys are still the ones handed out.
    assertThat(
        claim(alice.client(), alice.did()).get(0).identityKey(),
        equalTo(alice.keys().identityKey()));
  }

  @EachDatabase
  void aUserHasAtMostTenActiveDevices(TestDatabase db) {
    Owner alice = Owner.on(db);
    for (int i = 0; i < DeviceService.MAX_ACTIVE_DEVICES; i++) {
      alice.register("d" + i, List.of(), Optional.empty());
    }

    assertError(
        () -> alice.register("d10", List.of(), Optional.empty()),
        409,
        "Conflict",
        "Too many active devices");
    // A revoked device frees its place.
    alice.revoke("d3", "sold");
    alice.register("d10", List.of(), Optional.empty());
    assertThat(alice.devices(false), hasSize(DeviceService.MAX_ACTIVE_DEVICES));
  }

  @EachDatabase
  void aDeviceStoresAtMostAThousandUnclaimedOneTimePreKeys(TestDatabase db) {
    Owner alice = Owner.on(db);
    alice.register("phone", DeviceKeys.oneTimeKeys("r", 100), Optional.empty());
    for (int batch = 1; batch < 10; batch++) {
      alice.uploadOneTime("phone", DeviceKeys.oneTimeKeys("b" + batch + "-", 100));
    }

    assertError(
        () -> alice.uploadOneTime("phone", DeviceKeys.oneTimeKeys("over", 1)),
        409,
        "Conflict",
        "at most 1000");
    claim(someone(db), alice.did());
    UploadPreKeys.Output afterClaim =
        alice.uploadOneTime("phone", DeviceKeys.oneTimeKeys("over", 1));
    assertThat(afterClaim.oneTimePreKeyCount(), equalTo(1000L));
  }

  @EachDatabase
  void aRevokedDeviceIsNeverClaimedAndItsIdCanBeRegisteredAgain(TestDatabase db) {
    Owner alice = Owner.on(db);
    alice.register(
        "phone", DeviceKeys.oneTimeKeys("k", 3), Optional.of(alice.keys().signedKey("lr")));
    KeyserverClient bob = someone(db);

    Revoke.Output revoked = alice.revoke("phone", "Lost on the train");

    assertThat(revoked.deviceId(), equalTo("phone"));
    assertThat(revoked.status(), equalTo("revoked"));
    assertThat(revoked.reason(), equalTo("Lost on the train"));
    assertError(() -> claim(bob, alice.did()), 404, "Not Found", "No active devices");
    assertError(() -> claim(bob, alice.did(), "phone"), 404, "Not Found", "Device not found");
    assertThat(list(bob, alice.did(), false), empty());
    DeviceView listed = list(bob, alice.did(), true).get(0);
    assertThat(listed.status(), equalTo("revoked"));
    assertThat(listed.revokedAt(), equalTo(Optional.of(revoked.revokedAt())));
    assertThat(listed.revokeReason(), equalTo(Optional.of("Lost on the train")));
    assertThat(alice.devices(true).get(0).oneTimePreKeyCount(), equalTo(Optional.of(0L)));
    assertError(() -> alice.revoke("phone", "again"), 404, "Not Found", "Device not found");

    // The same id, new keys (the old key ids are free again: it is a new device).
    DeviceKeys newKeys = DeviceKeys.generate();
    SignedPreKey newSigned = newKeys.signedKey("s1");
    alice
        .client()
        .deviceRegister(
            newKeys.registration(
                "phone", newSigned, DeviceKeys.oneTimeKeys("k", 1), Optional.empty()));
    Bundle bundle = claim(bob, alice.did()).get(0);
    assertThat(bundle.identityKey(), equalTo(newKeys.identityKey()));
    assertThat(bundle.signedPreKey(), equalTo(newSigned));
    assertThat(bundle.oneTimePreKey().orElseThrow().keyId(), equalTo("k0"));
    List<DeviceView> both = list(bob, alice.did(), true);
    assertThat(both.stream().map(DeviceView::status).toList(), contains("active", "revoked"));
    assertThat(both.get(0).fingerprint(), not(equalTo(both.get(1).fingerprint())));
  }

  @EachDatabase
  void onlyTheHundredMostRecentRevocationsAreKept(TestDatabase db) {
    Owner alice = Owner.on(db);
    int revocations = DeviceService.MAX_REVOKED_DEVICES_KEPT + 1;
    for (int i = 0; i < revocations; i++) {
      alice.register("phone", List.of(), Optional.empty());
      alice.revoke("phone", "replaced " + i);
    }
    alice.register("phone", List.of(), Optional.empty());

    List<DeviceView> listed = alice.devices(true);

    assertThat(listed, hasSize(1 + DeviceService.MAX_REVOKED_DEVICES_KEPT));
    assertThat(listed.get(0).status(), equalTo("active"));
    List<String> reasons =
        listed.stream().skip(1).map(d -> d.revokeReason().orElseThrow()).toList();
    // The first revocation is gone; the others are listed in registration order.
    assertThat(reasons.get(0), equalTo("replaced 1"));
    assertThat(reasons.get(reasons.size() - 1), equalTo("replaced " + (revocations - 1)));
  }

  @EachDatabase
  void revocationReasonsAreBounded(TestDatabase db) {
    Owner alice = Owner.on(db);
    alice.register("phone", List.of(), Optional.empty());

    assertError(() -> alice.revoke("phone", "x".repeat(257)), 400, "Bad Request", "reason");
    assertError(() -> alice.revoke("phone", "line\nbreak"), 400, "Bad Request", "reason");
    assertError(() -> alice.revoke("phone", ""), 400, "Bad Request", "reason");
    assertError(alice.post(Revoke.NSID, "{\"deviceId\":\"phone\"}"), 400, "Bad Request", "reason");
    assertThat(alice.devices(false), hasSize(1));
    // 256 characters of four UTF-8 bytes each are fine.
    alice.revoke("phone", "\uD83D\uDD11".repeat(256));
  }

  @EachDatabase
  void claimsAreInTheOwnersAccessLogNamingTheClaimer(TestDatabase db) {
    Owner alice = Owner.on(db);
    alice.register("phone", DeviceKeys.oneTimeKeys("k", 1), Optional.empty());
    TestUser bob = keyserver.newUser();
    KeyserverClient asBob = keyserver.on(db).as(bob);
    claim(asBob, alice.did());
    alice.upload("phone", Optional.of(alice.keys().signedKey("s2")), List.of(), Optional.empty());
    claim(asBob, alice.did());

    List<AccessLog> logs = alice.client().accessLogsGetLogs(logs(50)).logs();

    assertThat(logs, hasSize(2));
    for (AccessLog entry : logs) {
      assertThat(entry.keyType(), equalTo(Optional.of("device")));
      assertThat(entry.deviceId(), equalTo(Optional.of("phone")));
      assertThat(entry.accessorDid(), equalTo(Optional.of(bob.did())));
      assertThat(entry.userAgent(), equalTo(Optional.of(TestServer.USER_AGENT)));
      assertThat(entry.groupId(), equalTo(Optional.empty()));
    }
    // Newest first: the bundle with the replaced signed prekey (version 2), then version 1.
    assertThat(logs.stream().map(AccessLog::version).toList(), contains(2L, 1L));
  }

  @EachDatabase
  void claimsSpendABudgetOfTheirOwnPerCaller(TestDatabase db) {
    TestServer server = limited.on(db);
    Owner alice = Owner.on(server, limited);
    alice.register("phone", DeviceKeys.oneTimeKeys("k", 10), Optional.empty());
    KeyserverClient bob = server.as(limited.newUser());
    for (int i = 0; i < CLAIM_LIMIT; i++) {
      claim(bob, alice.did());
    }

    XrpcClientException refused =
        assertError(() -> claim(bob, alice.did()), 429, "Too Many Requests", "Rate limit exceeded");

    assertThat(refused.retryAfter().isPresent(), equalTo(true));
    assertThat(
        refused.headers().firstValue("X-RateLimit-Limit"),
        equalTo(Optional.of(String.valueOf(CLAIM_LIMIT))));
    // The refused claim consumed nothing; another caller still has a budget; listing is no claim.
    assertThat(alice.devices(false).get(0).oneTimePreKeyCount(), equalTo(Optional.of(7L)));
    claim(server.as(limited.newUser()), alice.did());
    list(bob, alice.did(), false);
  }

  @EachDatabase
  void badInputIsRefusedAndStoresNothing(TestDatabase db) {
    Owner alice = Owner.on(db);
    DeviceKeys keys = alice.keys();
    SignedPreKey signed = keys.signedKey("s1");
    List<OneTimePreKey> twoKeys = DeviceKeys.oneTimeKeys("k", 2);
    Register.Input good = keys.registration("phone", signed, twoKeys, Optional.empty());
    String identity = keys.identityKey();
    String otherKey = DeviceKeys.newX25519PublicKey();
    String flipped =
        signed.signature().substring(0, 127) + (signed.signature().endsWith("0") ? "1" : "0");

    List<Refusal<Register.Input>> refusals =
        List.of(
            new Refusal<>(identityKey(good, "zz" + identity.substring(2)), "identityKey"),
            new Refusal<>(identityKey(good, identity.toUpperCase(Locale.ROOT)), "identityKey"),
            new Refusal<>(identityKey(good, identity.substring(2)), "identityKey"),
            new Refusal<>(identityKey(good, identity + "00"), "identityKey"),
            new Refusal<>(deviceId(good, "my phone"), "deviceId"),
            new Refusal<>(deviceId(good, "x".repeat(65)), "deviceId"),
            new Refusal<>(deviceId(good, ""), "deviceId"),
            new Refusal<>(deviceName(good, "a\u0007b"), "deviceName"),
            new Refusal<>(
                signedPreKey(
                    good, new SignedPreKey("s1", otherKey.substring(1), signed.signature())),
                "signedPreKey.publicKey"),
            new Refusal<>(
                signedPreKey(
                    good, new SignedPreKey("s1", signed.publicKey(), signed.signature() + "00")),
                "signedPreKey.signature"),
            new Refusal<>(
                signedPreKey(good, new SignedPreKey("s/1", signed.publicKey(), signed.signature())),
                "signedPreKey.keyId"),
            new Refusal<>(
                signedPreKey(good, new SignedPreKey("", signed.publicKey(), signed.signature())),
                "signedPreKey.keyId"),
            // Bad signatures: over another key, by another identity key, one bit flipped.
            new Refusal<>(
                signedPreKey(good, new SignedPreKey("s1", otherKey, signed.signature())),
                "Invalid signature in 'signedPreKey'"),
            new Refusal<>(
                signedPreKey(good, DeviceKeys.generate().signedKey("s1")),
                "Invalid signature in 'signedPreKey'"),
            new Refusal<>(
                signedPreKey(good, new SignedPreKey("s1", signed.publicKey(), flipped)),
                "Invalid signature in 'signedPreKey'"),
            new Refusal<>(
                lastResortKey(good, new SignedPreKey("lr", otherKey, signed.signature())),
                "Invalid signature in 'lastResortKey'"),
            new Refusal<>(
                oneTimePreKeys(
                    good, List.of(DeviceKeys.oneTimeKey("a"), DeviceKeys.oneTimeKey("a"))),
                "Duplicate key id in 'oneTimePreKeys[1].keyId'"),
            new Refusal<>(oneTimePreKeys(good, DeviceKeys.oneTimeKeys("k", 101)), "oneTimePreKeys"),
            new Refusal<>(
                oneTimePreKeys(
                    good, List.of(new OneTimePreKey("k:0", otherKey.toUpperCase(Locale.ROOT)))),
                "oneTimePreKeys[0].publicKey"),
            new Refusal<>(
                oneTimePreKeys(good, List.of(new OneTimePreKey("k 0", otherKey))),
                "oneTimePreKeys[0].keyId"));
    for (Refusal<Register.Input> refusal : refusals) {
      assertError(
          () -> alice.client().deviceRegister(refusal.input()),
          400,
          "Bad Request",
          refusal.message());
    }
    // Members of the wrong type, or missing: bodies no typed call can send.
    JsonObject goodJson = Json.parse(JsonOut.toJson(good));
    for (Map.Entry<String, JsonValue> wrong :
        Map.of(
                "identityKey",
                (JsonValue) jakarta.json.Json.createValue(5),
                "signedPreKey",
                jakarta.json.Json.createValue("s1"),
                "oneTimePreKeys",
                jakarta.json.Json.createValue("k0"),
                "deviceId",
                JsonValue.TRUE)
            .entrySet()) {
      String body =
          jakarta.json.Json.createObjectBuilder(goodJson)
              .add(wrong.getKey(), wrong.getValue())
              .build()
              .toString();
      assertError(alice.post(Register.NSID, body), 400, "Bad Request", wrong.getKey());
      String without =
          jakarta.json.Json.createObjectBuilder(goodJson).remove(wrong.getKey()).build().toString();
      assertError(alice.post(Register.NSID, without), 400, "Bad Request", wrong.getKey());
    }
    assertThat(alice.devices(true), empty());
    assertError(() -> claim(someone(db), alice.did()), 404, "Not Found", "No active devices");

    // The same on upload, against a registered device: its keys stay as they were.
    alice.client().deviceRegister(good);
    List<Refusal<UploadPreKeys.Input>> uploadRefusals =
        List.of(
            new Refusal<>(
                DeviceKeys.upload(
                    "phone",
                    Optional.of(new SignedPreKey("s2", otherKey, signed.signature())),
                    List.of(),
                    Optional.empty()),
                "Invalid signature in 'signedPreKey'"),
            new Refusal<>(
                DeviceKeys.upload(
                    "phone",
                    Optional.empty(),
                    List.of(DeviceKeys.oneTimeKey("u"), DeviceKeys.oneTimeKey("u")),
                    Optional.empty()),
                "Duplicate key id in 'oneTimePreKeys[1].keyId'"),
            new Refusal<>(
                DeviceKeys.upload(
                    "phone", Optional.empty(), DeviceKeys.oneTimeKeys("u", 101), Optional.empty()),
                "oneTimePreKeys"),
            new Refusal<>(
                DeviceKeys.upload(
                    "phone",
                    Optional.empty(),
                    List.of(new OneTimePreKey("u", "00")),
                    Optional.empty()),
                "oneTimePreKeys[0].publicKey"),
            // A good signed prekey with a bad one-time prekey: neither is stored.
            new Refusal<>(
                DeviceKeys.upload(
                    "phone",
                    Optional.of(keys.signedKey("s2")),
                    List.of(new OneTimePreKey("u", otherKey + "0")),
                    Optional.empty()),
                "oneTimePreKeys[0].publicKey"));
    for (Refusal<UploadPreKeys.Input> refusal : uploadRefusals) {
      assertError(
          () -> alice.client().deviceUploadPreKeys(refusal.input()),
          400,
          "Bad Request",
          refusal.message());
    }
    assertError(alice.post(UploadPreKeys.NSID, "{\"deviceId\":7}"), 400, "Bad Request", "deviceId");
    DeviceView own = alice.devices(false).get(0);
    assertThat(own.oneTimePreKeyCount(), equalTo(Optional.of(2L)));
    assertThat(own.lastRotatedAt(), equalTo(Optional.empty()));
    assertThat(claim(someone(db), alice.did()).get(0).signedPreKey(), equalTo(signed));
  }

  @EachDatabase
  void unknownMembersAreIgnored(TestDatabase db) {
    Owner alice = Owner.on(db);
    Register.Input input =
        alice
            .keys()
            .registration("phone", alice.keys().signedKey("s"), List.of(), Optional.empty());
    String body =
        jakarta.json.Json.createObjectBuilder(Json.parse(JsonOut.toJson(input)))
            .add("futureField", jakarta.json.Json.createArrayBuilder().add(1))
            .build()
            .toString();

    assertThat(alice.post(Register.NSID, body).statusCode(), equalTo(200));
    assertThat(alice.devices(false), hasSize(1));
  }

  /** An input the server must refuse, and what its message must name. */
  private record Refusal<T>(T input, String message) {}

  private static Register.Input identityKey(Register.Input in, String identityKey) {
    return new Register.Input(
        in.deviceId(),
        in.deviceName(),
        identityKey,
        in.signedPreKey(),
        in.oneTimePreKeys(),
        in.lastResortKey());
  }

  private static Register.Input deviceId(Register.Input in, String deviceId) {
    return new Register.Input(
        deviceId,
        in.deviceName(),
        in.identityKey(),
        in.signedPreKey(),
        in.oneTimePreKeys(),
        in.lastResortKey());
  }

  private static Register.Input deviceName(Register.Input in, String name) {
    return new Register.Input(
        in.deviceId(),
        Optional.of(name),
        in.identityKey(),
        in.signedPreKey(),
        in.oneTimePreKeys(),
        in.lastResortKey());
  }

  private static Register.Input signedPreKey(Register.Input in, Defs.SignedPreKey key) {
    return new Register.Input(
        in.deviceId(),
        in.deviceName(),
        in.identityKey(),
        key,
        in.oneTimePreKeys(),
        in.lastResortKey());
  }

  private static Register.Input lastResortKey(Register.Input in, Defs.SignedPreKey key) {
    return new Register.Input(
        in.deviceId(),
        in.deviceName(),
        in.identityKey(),
        in.signedPreKey(),
        in.oneTimePreKeys(),
        Optional.of(key));
  }

  private static Register.Input oneTimePreKeys(Register.Input in, List<OneTimePreKey> keys) {
    return new Register.Input(
        in.deviceId(),
        in.deviceName(),
        in.identityKey(),
        in.signedPreKey(),
        keys,
        in.lastResortKey());
  }
}
