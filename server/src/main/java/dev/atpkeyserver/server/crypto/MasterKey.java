package dev.atpkeyserver.server.crypto;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;

/**
 * The AEAD key that seals every private key and group key at rest. Each ciphertext is bound to the
 * row it belongs to through associated data (the key's kind, owner or group, and version), so a
 * ciphertext copied into another row, or rows swapped between users, fail to open.
 *
 * <p>The keyset is a Tink JSON keyset; Tink keysets may hold several keys, so the master key can be
 * rotated by adding a new primary while old ciphertexts still open with the older keys.
 */
public final class MasterKey {

  static {
    try {
      AeadConfig.register();
    } catch (GeneralSecurityException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final Aead aead;

  private MasterKey(Aead aead) {
    this.aead = aead;
  }

  /** Reads a Tink JSON keyset holding AEAD keys. */
  public static MasterKey fromJson(String keysetJson) throws GeneralSecurityException {
    KeysetHandle handle =
        TinkJsonProtoKeysetFormat.parseKeyset(
            keysetJson, RegistryConfiguration.get(), InsecureSecretKeyAccess.get());
    return new MasterKey(handle.getPrimitive(RegistryConfiguration.get(), Aead.class));
  }

  /** A new random keyset (AES-256-GCM), serialised as Tink JSON. */
  public static String generateJson() throws GeneralSecurityException {
    KeysetHandle handle =
        KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM, RegistryConfiguration.get());
    return TinkJsonProtoKeysetFormat.serializeKeyset(
        handle, RegistryConfiguration.get(), InsecureSecretKeyAccess.get());
  }

  /** Seals a user's private seed for the row (did, version). */
  public byte[] sealKeypair(KeyMaterial privateSeed, String did, int version) {
    return seal(privateSeed, associatedData("keypair", did, version));
  }

  /** Opens what {@link #sealKeypair} sealed for the same (did, version). */
  public KeyMaterial openKeypair(byte[] ciphertext, String did, int version) {
    return open(ciphertext, associatedData("keypair", did, version));
  }

  /** Seals a group key for the row (groupId, version). */
  public byte[] sealGroupKey(KeyMaterial groupKey, String groupId, int version) {
    return seal(groupKey, associatedData("group", groupId, version));
  }

  /** Opens what {@link #sealGroupKey} sealed for the same (groupId, version). */
  public KeyMaterial openGroupKey(byte[] ciphertext, String groupId, int version) {
    return open(ciphertext, associatedData("group", groupId, version));
  }

  private byte[] seal(KeyMaterial plaintext, byte[] associatedData) {
    try {
      return aead.encrypt(plaintext.bytes(), associatedData);
    } catch (GeneralSecurityException e) {
      throw new SealedKeyException("Sealing key material failed", e);
    }
  }

  private KeyMaterial open(byte[] ciphertext, byte[] associatedData) {
    try {
      return KeyMaterial.of(aead.decrypt(ciphertext, associatedData));
    } catch (GeneralSecurityException e) {
      throw new SealedKeyException(
          "Stored key material does not open: wrong master key, or a row moved or tampered with",
          e);
    }
  }

  /** Length-prefixed fields, so no two different (kind, owner, version) triples encode alike. */
  static byte[] associatedData(String kind, String owner, int version) {
    byte[] kindBytes = kind.getBytes(StandardCharsets.UTF_8);
    byte[] ownerBytes = owner.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(4 + kindBytes.length + 4 + ownerBytes.length + 4)
        .putInt(kindBytes.length)
        .put(kindBytes)
        .putInt(ownerBytes.length)
        .put(ownerBytes)
        .putInt(version)
        .array();
  }

  /** A stored key could not be sealed or opened; never answered with its details. */
  public static final class SealedKeyException extends RuntimeException {
    SealedKeyException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
