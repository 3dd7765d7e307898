package dev.atpkeyserver.server.testing;

import com.google.crypto.tink.subtle.Ed25519Sign;
import com.google.crypto.tink.subtle.X25519;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * A device's keys as a real client makes them: an Ed25519 identity keypair, X25519 prekeys, and the
 * identity key's signatures over the signed ones. Builds the JSON bodies of the device methods.
 */
public final class DeviceKeys {

  private static final HexFormat HEX = HexFormat.of();

  private final byte[] identityPublicKey;
  private final Ed25519Sign signer;

  private DeviceKeys(Ed25519Sign.KeyPair identity) throws GeneralSecurityException {
    this.identityPublicKey = identity.getPublicKey();
    this.signer = new Ed25519Sign(identity.getPrivateKey());
  }

  /** A device with a fresh identity key. */
  public static DeviceKeys generate() {
    try {
      return new DeviceKeys(Ed25519Sign.KeyPair.newKeyPair());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The identity public key, 64 lowercase hex characters. */
  public String identityKey() {
    return HEX.formatHex(identityPublicKey);
  }

  /** The first 16 bytes of SHA-256 of the identity key, as hex: what the server reports. */
  public String fingerprint() {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(identityPublicKey);
      return HEX.formatHex(digest, 0, 16);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The identity key's signature over the raw bytes of a hex public key, as hex. */
  public String sign(String publicKeyHex) {
    try {
      return HEX.formatHex(signer.sign(HEX.parseHex(publicKeyHex)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A new X25519 prekey signed by this identity key. */
  public SignedKey signedKey(String keyId) {
    String publicKey = newX25519PublicKey();
    return new SignedKey(keyId, publicKey, sign(publicKey));
  }

  /** A new X25519 one-time prekey. */
  public static OneTimeKey oneTimeKey(String keyId) {
    return new OneTimeKey(keyId, newX25519PublicKey());
  }

  /** {@code count} new one-time prekeys with ids {@code <prefix>0}, {@code <prefix>1}, ... */
  public static List<OneTimeKey> oneTimeKeys(String prefix, int count) {
    return java.util.stream.IntStream.range(0, count)
        .mapToObj(i -> oneTimeKey(prefix + i))
        .toList();
  }

  private static String newX25519PublicKey() {
    try {
      return HEX.formatHex(X25519.publicFromPrivate(X25519.generatePrivateKey()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A {@code device.register} body.
   *
   * @param lastResort the last-resort key, if any
   */
  public JsonObject registration(
      String deviceId,
      Optional<String> name,
      SignedKey signed,
      List<OneTimeKey> oneTime,
      Optional<SignedKey> lastResort) {
    JsonObjectBuilder body =
        Json.createObjectBuilder()
            .add("deviceId", deviceId)
            .add("identityKey", identityKey())
            .add("signedPreKey", signed.json())
            .add("oneTimePreKeys", array(oneTime));
    name.ifPresent(n -> body.add("deviceName", n));
    lastResort.ifPresent(key -> body.add("lastResortKey", key.json()));
    return body.build();
  }

  /** A {@code device.uploadPreKeys} body. */
  public static JsonObject upload(
      String deviceId,
      Optional<SignedKey> signed,
      List<OneTimeKey> oneTime,
      Optional<SignedKey> lastResort) {
    JsonObjectBuilder body =
        Json.createObjectBuilder().add("deviceId", deviceId).add("oneTimePreKeys", array(oneTime));
    signed.ifPresent(key -> body.add("signedPreKey", key.json()));
    lastResort.ifPresent(key -> body.add("lastResortKey", key.json()));
    return body.build();
  }

  private static JsonArrayBuilder array(List<OneTimeKey> keys) {
    JsonArrayBuilder array = Json.createArrayBuilder();
    keys.forEach(key -> array.add(key.json()));
    return array;
  }

  /**
   * A signed prekey or last-resort key.
   *
   * @param keyId its id
   * @param publicKey the X25519 public key, hex
   * @param signature the identity key's signature over it, hex
   */
  public record SignedKey(String keyId, String publicKey, String signature) {
    public JsonObject json() {
      return Json.createObjectBuilder()
          .add("keyId", keyId)
          .add("publicKey", publicKey)
          .add("signature", signature)
          .build();
    }
  }

  /**
   * A one-time prekey.
   *
   * @param keyId its id
   * @param publicKey the X25519 public key, hex
   */
  public record OneTimeKey(String keyId, String publicKey) {
    public JsonObject json() {
      return Json.createObjectBuilder().add("keyId", keyId).add("publicKey", publicKey).build();
    }
  }
}
