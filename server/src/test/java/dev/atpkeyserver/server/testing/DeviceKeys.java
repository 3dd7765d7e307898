package dev.atpkeyserver.server.testing;

import com.google.crypto.tink.subtle.Ed25519Sign;
import com.google.crypto.tink.subtle.X25519;
import dev.atpkeyserver.lexicon.alpha.device.Defs;
import dev.atpkeyserver.lexicon.alpha.device.Register;
import dev.atpkeyserver.lexicon.alpha.device.UploadPreKeys;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * A device's keys as a real client makes them: an Ed25519 identity keypair, X25519 prekeys, and the
 * identity key's signatures over the signed ones, as the device methods' input records.
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
  public Defs.SignedPreKey signedKey(String keyId) {
    String publicKey = newX25519PublicKey();
    return new Defs.SignedPreKey(keyId, publicKey, sign(publicKey));
  }

  /** A new X25519 one-time prekey. */
  public static Defs.OneTimePreKey oneTimeKey(String keyId) {
    return new Defs.OneTimePreKey(keyId, newX25519PublicKey());
  }

  /** {@code count} new one-time prekeys with ids {@code <prefix>0}, {@code <prefix>1}, ... */
  public static List<Defs.OneTimePreKey> oneTimeKeys(String prefix, int count) {
    return IntStream.range(0, count).mapToObj(i -> oneTimeKey(prefix + i)).toList();
  }

  /** A new X25519 public key, 64 lowercase hex characters. */
  public static String newX25519PublicKey() {
    try {
      return HEX.formatHex(X25519.publicFromPrivate(X25519.generatePrivateKey()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A {@code device.register} input with this identity key and no device name. */
  public Register.Input registration(
      String deviceId,
      Defs.SignedPreKey signed,
      List<Defs.OneTimePreKey> oneTime,
      Optional<Defs.SignedPreKey> lastResort) {
    return registration(deviceId, Optional.empty(), signed, oneTime, lastResort);
  }

  /** A {@code device.register} input with this identity key. */
  public Register.Input registration(
      String deviceId,
      Optional<String> name,
      Defs.SignedPreKey signed,
      List<Defs.OneTimePreKey> oneTime,
      Optional<Defs.SignedPreKey> lastResort) {
    return new Register.Input(deviceId, name, identityKey(), signed, oneTime, lastResort);
  }

  /** A {@code device.uploadPreKeys} input. */
  public static UploadPreKeys.Input upload(
      String deviceId,
      Optional<Defs.SignedPreKey> signed,
      List<Defs.OneTimePreKey> oneTime,
      Optional<Defs.SignedPreKey> lastResort) {
    return new UploadPreKeys.Input(deviceId, signed, Optional.of(oneTime), lastResort);
  }
}
