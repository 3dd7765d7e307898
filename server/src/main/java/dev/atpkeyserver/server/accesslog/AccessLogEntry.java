package dev.atpkeyserver.server.accesslog;

import java.time.Instant;
import java.util.Optional;

/**
 * One read of key material or of a public key, or one device's prekey bundle handed out.
 *
 * @param ownerDid whose log it is: the keypair's user, the group's owner or the device's owner
 * @param keyType {@code keypair}, {@code group} or {@code device}
 * @param groupId the group, for group keys
 * @param deviceId the device, for claimed bundles
 * @param version the key version actually served (for a bundle, its signed prekey's version)
 * @param accessedAt when
 * @param accessor who read it
 */
public record AccessLogEntry(
    String ownerDid,
    KeyType keyType,
    Optional<String> groupId,
    Optional<String> deviceId,
    int version,
    Instant accessedAt,
    Accessor accessor) {

  /** An entry about a keypair or a group key, which name no device. */
  public AccessLogEntry(
      String ownerDid,
      KeyType keyType,
      Optional<String> groupId,
      int version,
      Instant accessedAt,
      Accessor accessor) {
    this(ownerDid, keyType, groupId, Optional.empty(), version, accessedAt, accessor);
  }

  /** A device's prekey bundle handed out to {@code claimer}. */
  public static AccessLogEntry claimedBundle(
      String ownerDid, String deviceId, int signedPreKeyVersion, Instant at, Accessor claimer) {
    return new AccessLogEntry(
        ownerDid,
        KeyType.DEVICE,
        Optional.empty(),
        Optional.of(deviceId),
        signedPreKeyVersion,
        at,
        claimer);
  }

  /** The kind of key that was read. */
  public enum KeyType {
    KEYPAIR("keypair"),
    GROUP("group"),
    /** A device's prekey bundle, claimed with {@code device.claimBundles}. */
    DEVICE("device");

    private final String wireName;

    KeyType(String wireName) {
      this.wireName = wireName;
    }

    /** The name stored and returned by the API. */
    public String wireName() {
      return wireName;
    }

    static KeyType fromWireName(String name) {
      for (KeyType type : values()) {
        if (type.wireName.equals(name)) {
          return type;
        }
      }
      throw new IllegalStateException("Unknown key_type in access_logs: " + name);
    }
  }
}
