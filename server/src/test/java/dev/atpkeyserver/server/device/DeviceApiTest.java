package dev.atpkeyserver.server.device;

import static dev.atpkeyserver.server.testing.ApiClient.encode;
import static dev.atpkeyserver.server.testing.Responses.assertError;
import static dev.atpkeyserver.server.testing.Responses.ok;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;

import com.google.crypto.tink.subtle.Ed25519Verify;
import dev.atpkeyserver.server.testing.ApiClient;
import dev.atpkeyserver.server.testing.ApiServers;
import dev.atpkeyserver.server.testing.DeviceKeys;
import dev.atpkeyserver.server.testing.DeviceKeys.OneTimeKey;
import dev.atpkeyserver.server.testing.DeviceKeys.SignedKey;
import dev.atpkeyserver.server.testing.DidDirectory;
import dev.atpkeyserver.server.testing.KeyserverExtension;
import dev.atpkeyserver.server.testing.TestDatabase;
import dev.atpkeyserver.server.testing.TestServer;
import dev.atpkeyserver.server.testing.TestUser;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Devices and their prekeys end to end, on each database. */
class DeviceApiTest {

  private static final DidDirectory directory = new DidDirectory();

  @RegisterExtension
  static final KeyserverExtension servers = ApiServers.resolvingThrough(directory);

  private static final int CLAIM_LIMIT = 3;

  /** With rate limits on, and a claim budget of {@value #CLAIM_LIMIT} a minute. */
  @RegisterExtension
  static final KeyserverExtension limited =
      new KeyserverExtension(
          Map.of(
              "keyserver.plc-url",
              directory.url(),
              "keyserver.service-did",
              ApiClient.SERVICE_DID,
              "keyserver.rate-limit.enabled",
              "true",
              "keyserver.rate-limit.claim.requests",
              String.valueOf(CLAIM_LIMIT)));

  /** A user with one device's keys, calling one server. */
  private record Owner(TestUser user, ApiClient client, DeviceKeys keys) {
    static Owner on(TestServer server) {
      TestUser user = directory.publish(TestUser.plc());
      return new Owner(user, new ApiClient(server, user), DeviceKeys.generate());
    }

    String did() {
      return user.did();
    }

    HttpResponse<String> register(JsonObject body) {
      return client.procedure("device.register", body.toString());
    }

    /** Registers {@code deviceId} with a signed prekey "s1", one-time prekeys and a last resort. */
    JsonObject register(String deviceId, List<OneTimeKey> oneTime, Optional<SignedKey> lastResort) {
      return ok(
          register(
              keys.registration(
                  deviceId, Optional.empty(), keys.signedKey("s1"), oneTime, lastResort)));
    }

    HttpResponse<String> upload(JsonObject body) {
      return client.procedure("device.uploadPreKeys", body.toString());
    }

    HttpResponse<String> revoke(String deviceId, String reason) {
      return client.procedure(
          "device.revoke",
          Json.createObjectBuilder()
              .add("deviceId", deviceId)
              .add("reason", reason)
              .build()
              .toString());
    }
  }

  private static HttpResponse<String> claim(ApiClient claimer, String did) {
    return claimer.procedure("device.claimBundles", "{\"did\":\"" + did + "\"}");
  }

  private static HttpResponse<String> claim(ApiClient claimer, String did, String deviceId) {
    return claimer.procedure(
        "device.claimBundles", "{\"did\":\"" + did + "\",\"deviceId\":\"" + deviceId + "\"}");
  }

  private static List<JsonObject> bundles(HttpResponse<String> response) {
    return ok(response).getJsonArray("bundles").getValuesAs(JsonObject.class);
  }

  private static List<JsonObject> list(ApiClient caller, String did, boolean includeRevoked) {
    return ok(caller.query(
            "device.list", "did=" + encode(did) + (includeRevoked ? "&includeRevoked=true" : "")))
        .getJsonArray("devices")
        .getValuesAs(JsonObject.class);
  }

  private static ApiClient someone(TestServer server) {
    return new ApiClient(server, directory.publish(TestUser.plc()));
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void registersADeviceAndHandsOutItsBundle(TestDatabase db) throws GeneralSecurityException {
    TestServer server = servers.on(db);
    Owner alice = Owner.on(server);
    SignedKey signed = alice.keys().signedKey("signed-1");
    SignedKey lastResort = alice.keys().signedKey("last-resort-1");
    List<OneTimeKey> oneTime = DeviceKeys.oneTimeKeys("otk-", 3);

    JsonObject registered =
        ok(
            alice.register(
                alice
                    .keys()
                    .registration(
                        "phone",
                        Optional.of("Alice's phone"),
                        signed,
                        oneTime,
                        Optional.of(lastResort))));

    assertThat(registered.getString("deviceId"), equalTo("phone"));
    assertThat(registered.getString("fingerprint"), equalTo(alice.keys().fingerprint()));
    assertThat(registered.getInt("oneTimePreKeyCount"), equalTo(3));
    assertThat(registered.getString("status"), equalTo("active"));
    assertThat(registered.getString("registeredAt").endsWith("Z"), equalTo(true));

    List<JsonObject> bundles = bundles(claim(someone(server), alice.did()));

    assertThat(bundles, hasSize(1));
    JsonObject bundle = bundles.get(0);
    assertThat(bundle.getString("deviceId"), equalTo("phone"));
    assertThat(bundle.getString("identityKey"), equalTo(alice.keys().identityKey()));
    assertThat(bundle.getString("fingerprint"), equalTo(alice.keys().fingerprint()));
    assertThat(bundle.getJsonObject("signedPreKey"), equalTo(signed.json()));
    // The oldest one-time prekey first, exactly as uploaded.
    assertThat(bundle.getJsonObject("oneTimePreKey"), equalTo(oneTime.get(0).json()));
    assertThat(bundle.isNull("lastResortKey"), equalTo(true));
    assertThat(bundle.getInt("remainingOneTimePreKeys"), equalTo(2));
    // What a sender does before using the bundle: the signature checks out.
    HexFormat hex = HexFormat.of();
    new Ed25519Verify(hex.parseHex(bundle.getString("identityKey")))
        .verify(
            hex.parseHex(bundle.getJsonObject("signedPreKey").getString("signature")),
            hex.parseHex(bundle.getJsonObject("signedPreKey").getString("publicKey")));
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void eachOneTimePreKeyGoesOnceThenTheLastResortKey(TestDatabase db) {
    TestServer server = servers.on(db);
    Owner alice = Owner.on(server);
    List<OneTimeKey> oneTime = DeviceKeys.oneTimeKeys("k", 2);
    SignedKey lastResort = alice.keys().signedKey("lr");
    alice.register("laptop", oneTime, Optional.of(lastResort));
    ApiClient bob = someone(server);

    JsonObject first = bundles(claim(bob, alice.did())).get(0);
    JsonObject second = bundles(claim(someone(server), alice.did())).get(0);
    JsonObject third = bundles(claim(bob, alice.did())).get(0);
    JsonObject fourth = bundles(claim(bob, alice.did())).get(0);

    assertThat(first.getJsonObject("oneTimePreKey"), equalTo(oneTime.get(0).json()));
    assertThat(second.getJsonObject("oneTimePreKey"), equalTo(oneTime.get(1).json()));
    assertThat(second.getInt("remainingOneTimePreKeys"), equalTo(0));
    for (JsonObject exhausted : List.of(third, fourth)) {
      assertThat(exhausted.isNull("oneTimePreKey"), equalTo(true));
      assertThat(exhausted.getJsonObject("lastResortKey"), equalTo(lastResort.json()));
      assertThat(exhausted.getInt("remainingOneTimePreKeys"), equalTo(0));
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void aDeviceWithoutLastResortKeyRunsOutToNeither(TestDatabase db) {
    TestServer server = servers.on(db);
    Owner alice = Owner.on(server);
    alice.register("phone", List.of(), Optional.empty());

    JsonObject bundle = bundles(claim(someone(server), alice.did())).get(0);

    assertThat(bundle.isNull("oneTimePreKey"), equalTo(true));
    assertThat(bundle.isNull("lastResortKey"), equalTo(true));
    assertThat(bundle.getJsonObject("signedPreKey").getString("keyId"), equalTo("s1"));
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void claimsEveryActiveDeviceOrTheOneNamed(TestDatabase db) {
    TestServer server = servers.on(db);
    Owner alice = Owner.on(server);
    alice.register("tablet", DeviceKeys.oneTimeKeys("t", 1), Optional.empty());
    alice.register("phone", DeviceKeys.oneTimeKeys("p", 1), Optional.empty());
    ApiClient bob = someone(server);

    List<JsonObject> all = bundles(claim(bob, alice.did()));
    List<JsonObject> one = bundles(claim(bob, alice.did(), "phone"));

    assertThat(
        all.stream().map(b -> b.getString("deviceId")).toList(), contains("phone", "tablet"));
    assertThat(one, hasSize(1));
    assertThat(one.get(0).getString("deviceId"), equalTo("phone"));
    assertThat(one.get(0).isNull("oneTimePreKey"), equalTo(true));
    assertError(claim(bob, alice.did(), "watch"), 404, "Not Found", "Device not found");
    assertError(
        claim(bob, directory.publish(TestUser.plc()).did()), 404, "Not Found", "No active devices");
    assertError(claim(bob, "did:example:x"), 400, "Bad Request", "'did'");
    assertError(claim(bob, alice.did(), "no spaces"), 400, "Bad Request", "deviceId");
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void listShowsNamesAndCountsToTheOwnerOnly(TestDatabase db) {
    TestServer server = servers.on(db);
    Owner alice = Owner.on(server);
    ok(
        alice.register(
            alice
                .keys()
                .registration(
                    "phone",
                    Optional.of("Pixel"),
                    alice.keys().signedKey("s"),
                    DeviceKeys.oneTimeKeys("k", 4),
                    Optional.empty())));

    JsonObject own = list(alice.client(), alice.did(), false).get(0);
    JsonObject others = list(someone(server), alice.did(), false).get(0);

    assertThat(own.getString("deviceId"), equalTo("phone"));
    assertThat(own.getString("fingerprint"), equalTo(alice.keys().fingerprint()));
    assertThat(own.getString("status"), equalTo("active"));
    assertThat(own.getString("deviceName"), equalTo("Pixel"));
    assertThat(own.getInt("oneTimePreKeyCount"), equalTo(4));
    assertThat(own.containsKey("revokedAt"), equalTo(false));
    assertThat(own.containsKey("lastRotatedAt"), equalTo(false));
    assertThat(others.containsKey("deviceName"), equalTo(false));
    assertThat(others.containsKey("oneTimePreKeyCount"), equalTo(false));
    assertThat(others.getString("fingerprint"), equalTo(alice.keys().fingerprint()));
    // Listing consumes nothing.
    assertThat(
        list(alice.client(), alice.did(), false).get(0).getInt("oneTimePreKeyCount"), equalTo(4));
    assertThat(list(alice.client(), directory.publish(TestUser.plc()).did(), true), empty());
    assertError(alice.client().query("device.list", "did=not-a-did"), 400, "Bad Request", "'did'");
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void uploadAddsOneTimePreKeysAndReplacesSignedOnes(TestDatabase db) {
    TestServer server = servers.on(db);
    Owner alice = Owner.on(server);
    alice.register("phone", DeviceKeys.oneTimeKeys("a", 1), Optional.empty());
    SignedKey newSigned = alice.keys().signedKey("s2");
    SignedKey lastResort = alice.keys().signedKey("lr1");

    JsonObject uploaded =
        ok(
            alice.upload(
                DeviceKeys.upload(
                    "phone",
                    Optional.of(newSigned),
                    DeviceKeys.oneTimeKeys("b", 2),
                    Optional.of(lastResort))));

    assertThat(uploaded.getString("deviceId"), equalTo("phone"));
    assertThat(uploaded.getString("signedPreKeyId"), equalTo("s2"));
    assertThat(uploaded.getInt("oneTimePreKeyCount"), equalTo(3));
    assertThat(uploaded.getString("lastResortKeyId"), equalTo("lr1"));
    JsonObject bundle = bundles(claim(someone(server), alice.did())).get(0);
    assertThat(bundle.getJsonObject("signedPreKey"), equalTo(newSigned.json()));
    assertThat(bundle.getJsonObject("oneTimePreKey").getString("keyId"), equalTo("a0"));
    assertThat(
        list(alice.client(), alice.did(), false).get(0).containsKey("lastRotatedAt"),
        equalTo(true));

    // An upload of one-time prekeys alone keeps the signed and last-resort keys.
    JsonObject more =
        ok(
            alice.upload(
                DeviceKeys.upload(
                    "phone", Optional.empty(), DeviceKeys.oneTimeKeys("c", 1), Optional.empty())));
    assertThat(more.getString("signedPreKeyId"), equalTo("s2"));
    assertThat(more.getString("lastResortKeyId"), equalTo("lr1"));
    assertThat(more.getInt("oneTimePreKeyCount"), equalTo(3));
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void aKeyIdIsNeverUsedTwiceOnADevice(TestDatabase db) {
    TestServer server = servers.on(db);
    Owner alice = Owner.on(server);
    alice.register(
        "phone", DeviceKeys.oneTimeKeys("k", 2), Optional.of(alice.keys().signedKey("lr")));
    bundles(claim(someone(server), alice.did())); // claims k0

    // Still stored, already claimed, an old signed prekey id, the active last-resort key's id.
    assertError(
        alice.upload(
            DeviceKeys.upload(
                "phone", Optional.empty(), List.of(DeviceKeys.oneTimeKey("k1")), Optional.empty())),
        400,
        "Bad Request",
        "oneTimePreKeys[0].keyId");
    assertError(
        alice.upload(
            DeviceKeys.upload(
                "phone",
                Optional.empty(),
                List.of(DeviceKeys.oneTimeKey("new"), DeviceKeys.oneTimeKey("k0")),
                Optional.empty())),
        400,
        "Bad Request",
        "oneTimePreKeys[1].keyId");
    assertError(
        alice.upload(
            DeviceKeys.upload(
                "phone", Optional.of(alice.keys().signedKey("s1")), List.of(), Optional.empty())),
        400,
        "Bad Request",
        "signedPreKey.keyId");
    assertError(
        alice.upload(
            DeviceKeys.upload(
                "phone", Optional.empty(), List.of(), Optional.of(alice.keys().signedKey("lr")))),
        400,
        "Bad Request",
        "lastResortKey.keyId");

    // Nothing of the refused uploads was stored: still k1 only, and the same signed prekey.
    assertThat(
        list(alice.client(), alice.did(), false).get(0).getInt("oneTimePreKeyCount"), equalTo(1));
    JsonObject bundle = bundles(claim(someone(server), alice.did())).get(0);
    assertThat(bundle.getJsonObject("oneTimePreKey").getString("keyId"), equalTo("k1"));
    assertThat(bundle.getJsonObject("signedPreKey").getString("keyId"), equalTo("s1"));
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void uploadsGoToTheCallersActiveDevicesOnly(TestDatabase db) {
    TestServer server = servers.on(db);
    Owner alice = Owner.on(server);
    Owner bob = Owner.on(server);
    alice.register("phone", List.of(), Optional.empty());
    JsonObject upload =
        DeviceKeys.upload(
            "phone", Optional.empty(), DeviceKeys.oneTimeKeys("x", 1), Optional.empty());

    assertError(bob.upload(upload), 404, "Not Found", "Device not found");
    assertError(
        alice.upload(DeviceKeys.upload("tablet", Optional.empty(), List.of(), Optional.empty())),
        404,
        "Not Found",
        "Device not found");
    ok(alice.revoke("phone", "lost"));
    assertError(alice.upload(upload), 404, "Not Found", "Device not found");
    // A signed prekey signed by another identity key is refused, whoever's device it is.
    alice.register("tablet", List.of(), Optional.empty());
    assertError(
        alice.upload(
            DeviceKeys.upload(
                "tablet", Optional.of(bob.keys().signedKey("s9")), List.of(), Optional.empty())),
        400,
        "Bad Request",
        "Invalid signature in 'signedPreKey'");
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void anActiveDeviceIdCannotBeRegisteredTwice(TestDatabase db) {
    Owner alice = Owner.on(servers.on(db));
    alice.register("phone", List.of(), Optional.empty());

    DeviceKeys newKeys = DeviceKeys.generate();
    assertError(
        alice.register(
            newKeys.registration(
                "phone", Optional.empty(), newKeys.signedKey("s"), List.of(), Optional.empty())),
        409,
        "Conflict",
        "revoke it");
    // The first registration's keys are still the ones handed out.
    assertThat(
        bundles(claim(alice.client(), alice.did())).get(0).getString("identityKey"),
        equalTo(alice.keys().identityKey()));
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void aUserHasAtMostTenActiveDevices(TestDatabase db) {
    TestServer server = servers.on(db);
    Owner alice = Owner.on(server);
    for (int i = 0; i < DeviceService.MAX_ACTIVE_DEVICES; i++) {
      alice.register("d" + i, List.of(), Optional.empty());
    }

    assertError(
        alice.register(
            alice
                .keys()
                .registration(
                    "d10",
                    Optional.empty(),
                    alice.keys().signedKey("s"),
                    List.of(),
                    Optional.empty())),
        409,
        "Conflict",
        "Too many active devices");
    // A revoked device frees its place.
    ok(alice.revoke("d3", "sold"));
    alice.register("d10", List.of(), Optional.empty());
    assertThat(list(alice.client(), alice.did(), false), hasSize(DeviceService.MAX_ACTIVE_DEVICES));
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void aDeviceStoresAtMostAThousandUnclaimedOneTimePreKeys(TestDatabase db) {
    TestServer server = servers.on(db);
    Owner alice = Owner.on(server);
    alice.register("phone", DeviceKeys.oneTimeKeys("r", 100), Optional.empty());
    for (int batch = 1; batch < 10; batch++) {
      ok(
          alice.upload(
              DeviceKeys.upload(
                  "phone",
                  Optional.empty(),
                  DeviceKeys.oneTimeKeys("b" + batch + "-", 100),
                  Optional.empty())));
    }

    assertError(
        alice.upload(
            DeviceKeys.upload(
                "phone", Optional.empty(), DeviceKeys.oneTimeKeys("over", 1), Optional.empty())),
        409,
        "Conflict",
        "at most 1000");
    bundles(claim(someone(server), alice.did()));
    JsonObject afterClaim =
        ok(
            alice.upload(
                DeviceKeys.upload(
                    "phone",
                    Optional.empty(),
                    DeviceKeys.oneTimeKeys("over", 1),
                    Optional.empty())));
    assertThat(afterClaim.getInt("oneTimePreKeyCount"), equalTo(1000));
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void aRevokedDeviceIsNeverClaimedAndItsIdCanBeRegisteredAgain(TestDatabase db) {
    TestServer server = servers.on(db);
    Owner alice = Owner.on(server);
    alice.register(
        "phone", DeviceKeys.oneTimeKeys("k", 3), Optional.of(alice.keys().signedKey("lr")));
    ApiClient bob = someone(server);

    JsonObject revoked = ok(alice.revoke("phone", "Lost on the train"));

    assertThat(revoked.getString("deviceId"), equalTo("phone"));
    assertThat(revoked.getString("status"), equalTo("revoked"));
    assertThat(revoked.getString("reason"), equalTo("Lost on the train"));
    assertError(claim(bob, alice.did()), 404, "Not Found", "No active devices");
    assertError(claim(bob, alice.did(), "phone"), 404, "Not Found", "Device not found");
    assertThat(list(bob, alice.did(), false), empty());
    JsonObject listed = list(bob, alice.did(), true).get(0);
    assertThat(listed.getString("status"), equalTo("revoked"));
    assertThat(listed.getString("revokedAt"), equalTo(revoked.getString("revokedAt")));
    assertThat(listed.getString("revokeReason"), equalTo("Lost on the train"));
    assertThat(
        list(alice.client(), alice.did(), true).get(0).getInt("oneTimePreKeyCount"), equalTo(0));
    assertError(alice.revoke("phone", "again"), 404, "Not Found", "Device not found");

    // The same id, new keys (the old key ids are free again: it is a new device).
    DeviceKeys newKeys = DeviceKeys.generate();
    SignedKey newSigned = newKeys.signedKey("s1");
    ok(
        alice.register(
            newKeys.registration(
                "phone",
                Optional.empty(),
                newSigned,
                DeviceKeys.oneTimeKeys("k", 1),
                Optional.empty())));
    JsonObject bundle = bundles(claim(bob, alice.did())).get(0);
    assertThat(bundle.getString("identityKey"), equalTo(newKeys.identityKey()));
    assertThat(bundle.getJsonObject("signedPreKey"), equalTo(newSigned.json()));
    assertThat(bundle.getJsonObject("oneTimePreKey").getString("keyId"), equalTo("k0"));
    List<JsonObject> both = list(bob, alice.did(), true);
    assertThat(
        both.stream().map(d -> d.getString("status")).toList(), contains("active", "revoked"));
    assertThat(
        both.get(0).getString("fingerprint"), not(equalTo(both.get(1).getString("fingerprint"))));
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void onlyTheHundredMostRecentRevocationsAreKept(TestDatabase db) {
    Owner alice = Owner.on(servers.on(db));
    int revocations = DeviceService.MAX_REVOKED_DEVICES_KEPT + 1;
    for (int i = 0; i < revocations; i++) {
      alice.register("phone", List.of(), Optional.empty());
      ok(alice.revoke("phone", "replaced " + i));
    }
    alice.register("phone", List.of(), Optional.empty());

    List<JsonObject> listed = list(alice.client(), alice.did(), true);

    assertThat(listed, hasSize(1 + DeviceService.MAX_REVOKED_DEVICES_KEPT));
    assertThat(listed.get(0).getString("status"), equalTo("active"));
    List<String> reasons = listed.stream().skip(1).map(d -> d.getString("revokeReason")).toList();
    // The first revocation is gone; the others are listed in registration order.
    assertThat(reasons.get(0), equalTo("replaced 1"));
    assertThat(reasons.get(reasons.size() - 1), equalTo("replaced " + (revocations - 1)));
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void revocationReasonsAreBounded(TestDatabase db) {
    Owner alice = Owner.on(servers.on(db));
    alice.register("phone", List.of(), Optional.empty());

    assertError(alice.revoke("phone", "x".repeat(257)), 400, "Bad Request", "reason");
    assertError(alice.revoke("phone", "line\nbreak"), 400, "Bad Request", "reason");
    assertError(alice.revoke("phone", ""), 400, "Bad Request", "reason");
    assertError(
        alice.client().procedure("device.revoke", "{\"deviceId\":\"phone\"}"),
        400,
        "Bad Request",
        "reason");
    assertThat(list(alice.client(), alice.did(), false), hasSize(1));
    // 256 characters of four UTF-8 bytes each are fine.
    ok(alice.revoke("phone", "\uD83D\uDD11".repeat(256)));
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void claimsAreInTheOwnersAccessLogNamingTheClaimer(TestDatabase db) {
    TestServer server = servers.on(db);
    Owner alice = Owner.on(server);
    alice.register("phone", DeviceKeys.oneTimeKeys("k", 1), Optional.empty());
    TestUser bob = directory.publish(TestUser.plc());
    bundles(claim(new ApiClient(server, bob), alice.did()));
    ok(
        alice.upload(
            DeviceKeys.upload(
                "phone", Optional.of(alice.keys().signedKey("s2")), List.of(), Optional.empty())));
    bundles(claim(new ApiClient(server, bob), alice.did()));

    List<JsonObject> logs =
        ok(alice.client().query("accessLogs.getLogs", ""))
            .getJsonArray("logs")
            .getValuesAs(JsonObject.class);

    assertThat(logs, hasSize(2));
    for (JsonObject entry : logs) {
      assertThat(entry.getString("key_type"), equalTo("device"));
      assertThat(entry.getString("device_id"), equalTo("phone"));
      assertThat(entry.getString("accessor_did"), equalTo(bob.did()));
      assertThat(entry.getString("ip"), equalTo("127.0.0.1"));
      assertThat(entry.containsKey("group_id"), equalTo(false));
    }
    // Newest first: the bundle with the replaced signed prekey (version 2), then version 1.
    assertThat(logs.stream().map(e -> e.getInt("version")).toList(), contains(2, 1));
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void badInputIsRefusedAndStoresNothing(TestDatabase db) {
    TestServer server = servers.on(db);
    Owner alice = Owner.on(server);
    DeviceKeys keys = alice.keys();
    SignedKey signed = keys.signedKey("s1");
    JsonObject good =
        keys.registration(
            "phone", Optional.empty(), signed, DeviceKeys.oneTimeKeys("k", 2), Optional.empty());
    String otherKey = DeviceKeys.oneTimeKey("x").publicKey();
    String flipped =
        signed.signature().substring(0, 127) + (signed.signature().endsWith("0") ? "1" : "0");

    List<Refusal> refusals =
        List.of(
            new Refusal(
                with(good, "identityKey", "zz" + keys.identityKey().substring(2)), "identityKey"),
            new Refusal(
                with(good, "identityKey", keys.identityKey().toUpperCase(java.util.Locale.ROOT)),
                "identityKey"),
            new Refusal(with(good, "identityKey", keys.identityKey().substring(2)), "identityKey"),
            new Refusal(with(good, "identityKey", 5), "identityKey"),
            new Refusal(with(good, "deviceId", "my phone"), "deviceId"),
            new Refusal(with(good, "deviceId", "x".repeat(65)), "deviceId"),
            new Refusal(with(good, "deviceId", ""), "deviceId"),
            new Refusal(with(good, "deviceName", "a\u0007b"), "deviceName"),
            new Refusal(
                with(
                    good,
                    "signedPreKey",
                    signedJson("s1", otherKey.substring(1), signed.signature())),
                "signedPreKey.publicKey"),
            new Refusal(
                with(
                    good,
                    "signedPreKey",
                    signedJson("s1", signed.publicKey(), signed.signature() + "00")),
                "signedPreKey.signature"),
            new Refusal(
                with(
                    good,
                    "signedPreKey",
                    signedJson("s/1", signed.publicKey(), signed.signature())),
                "signedPreKey.keyId"),
            new Refusal(
                with(good, "signedPreKey", signedJson("", signed.publicKey(), signed.signature())),
                "signedPreKey.keyId"),
            new Refusal(with(good, "signedPreKey", "s1"), "signedPreKey"),
            // Bad signatures: over another key, by another identity key, one bit flipped.
            new Refusal(
                with(good, "signedPreKey", signedJson("s1", otherKey, signed.signature())),
                "Invalid signature in 'signedPreKey'"),
            new Refusal(
                with(good, "signedPreKey", DeviceKeys.generate().signedKey("s1").json()),
                "Invalid signature in 'signedPreKey'"),
            new Refusal(
                with(good, "signedPreKey", signedJson("s1", signed.publicKey(), flipped)),
                "Invalid signature in 'signedPreKey'"),
            new Refusal(
                with(good, "lastResortKey", signedJson("lr", otherKey, signed.signature())),
                "Invalid signature in 'lastResortKey'"),
            new Refusal(
                with(
                    good,
                    "oneTimePreKeys",
                    array(DeviceKeys.oneTimeKey("a"), DeviceKeys.oneTimeKey("a"))),
                "Duplicate key id in 'oneTimePreKeys[1].keyId'"),
            new Refusal(
                with(good, "oneTimePreKeys", json(DeviceKeys.oneTimeKeys("k", 101))),
                "oneTimePreKeys"),
            new Refusal(with(good, "oneTimePreKeys", "k0"), "oneTimePreKeys"),
            new Refusal(
                with(
                    good,
                    "oneTimePreKeys",
                    array(new OneTimeKey("k:0", otherKey.toUpperCase(java.util.Locale.ROOT)))),
                "oneTimePreKeys[0].publicKey"),
            new Refusal(
                with(good, "oneTimePreKeys", array(new OneTimeKey("k 0", otherKey))),
                "oneTimePreKeys[0].keyId"),
            new Refusal(without(good, "signedPreKey"), "signedPreKey"),
            new Refusal(without(good, "oneTimePreKeys"), "oneTimePreKeys"));

    for (Refusal refusal : refusals) {
      assertError(alice.register(refusal.body()), 400, "Bad Request", refusal.message());
    }
    assertThat(list(alice.client(), alice.did(), true), empty());
    assertError(claim(someone(server), alice.did()), 404, "Not Found", "No active devices");

    // The same on upload, against a registered device: its keys stay as they were.
    ok(alice.register(good));
    JsonObject goodUpload =
        DeviceKeys.upload(
            "phone",
            Optional.of(keys.signedKey("s2")),
            DeviceKeys.oneTimeKeys("u", 2),
            Optional.empty());
    List<Refusal> uploadRefusals =
        List.of(
            new Refusal(
                with(goodUpload, "signedPreKey", signedJson("s2", otherKey, signed.signature())),
                "Invalid signature in 'signedPreKey'"),
            new Refusal(
                with(
                    goodUpload,
                    "oneTimePreKeys",
                    array(DeviceKeys.oneTimeKey("u"), DeviceKeys.oneTimeKey("u"))),
                "Duplicate key id"),
            new Refusal(
                with(goodUpload, "oneTimePreKeys", json(DeviceKeys.oneTimeKeys("u", 101))),
                "oneTimePreKeys"),
            new Refusal(
                with(goodUpload, "oneTimePreKeys", array(new OneTimeKey("u", "00"))),
                "oneTimePreKeys[0].publicKey"),
            new Refusal(with(goodUpload, "deviceId", 7), "deviceId"));
    for (Refusal refusal : uploadRefusals) {
      assertError(alice.upload(refusal.body()), 400, "Bad Request", refusal.message());
    }
    JsonObject own = list(alice.client(), alice.did(), false).get(0);
    assertThat(own.getInt("oneTimePreKeyCount"), equalTo(2));
    assertThat(own.containsKey("lastRotatedAt"), equalTo(false));
    assertThat(
        bundles(claim(someone(server), alice.did())).get(0).getJsonObject("signedPreKey"),
        equalTo(signed.json()));
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void unknownFieldsAreIgnored(TestDatabase db) {
    Owner alice = Owner.on(servers.on(db));
    JsonObject body =
        Json.createObjectBuilder(
                alice
                    .keys()
                    .registration(
                        "phone",
                        Optional.empty(),
                        alice.keys().signedKey("s"),
                        List.of(),
                        Optional.empty()))
            .add("futureField", Json.createArrayBuilder().add(1))
            .build();

    ok(alice.register(body));
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void claimsSpendABudgetOfTheirOwnPerCaller(TestDatabase db) {
    TestServer server = limited.on(db);
    Owner alice = Owner.on(server);
    alice.register("phone", DeviceKeys.oneTimeKeys("k", 10), Optional.empty());
    ApiClient bob = someone(server);

    for (int i = 0; i < CLAIM_LIMIT; i++) {
      HttpResponse<String> claimed = claim(bob, alice.did());
      ok(claimed);
      assertThat(claimed.headers().firstValue("X-RateLimit-Limit"), equalTo(Optional.of("3")));
      assertThat(
          claimed.headers().firstValue("X-RateLimit-Remaining"),
          equalTo(Optional.of(String.valueOf(CLAIM_LIMIT - 1 - i))));
    }
    HttpResponse<String> refused = claim(bob, alice.did());

    assertError(refused, 429, "Too Many Requests", "Rate limit exceeded");
    assertThat(refused.headers().firstValue("Retry-After").isPresent(), equalTo(true));
    // The refused claim consumed nothing; another caller still has a budget; listing is not a
    // claim.
    assertThat(
        list(alice.client(), alice.did(), false).get(0).getInt("oneTimePreKeyCount"), equalTo(7));
    ok(claim(someone(server), alice.did()));
    list(bob, alice.did(), false);
  }

  /** A request body the server must refuse, and what its message must name. */
  private record Refusal(JsonObject body, String message) {}

  private static JsonObject with(JsonObject body, String field, Object value) {
    var builder = Json.createObjectBuilder(body);
    switch (value) {
      case String s -> builder.add(field, s);
      case Integer i -> builder.add(field, i);
      case jakarta.json.JsonValue v -> builder.add(field, v);
      default -> throw new IllegalArgumentException(value.toString());
    }
    return builder.build();
  }

  private static JsonObject without(JsonObject body, String field) {
    return Json.createObjectBuilder(body).remove(field).build();
  }

  private static JsonObject signedJson(String keyId, String publicKey, String signature) {
    return new SignedKey(keyId, publicKey, signature).json();
  }

  private static jakarta.json.JsonArray array(OneTimeKey... keys) {
    return json(List.of(keys));
  }

  private static jakarta.json.JsonArray json(List<OneTimeKey> keys) {
    var array = Json.createArrayBuilder();
    keys.forEach(key -> array.add(key.json()));
    return array.build();
  }
}
