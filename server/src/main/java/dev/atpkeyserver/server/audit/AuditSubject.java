package dev.atpkeyserver.server.audit;

import java.util.Optional;

/**
 * What an audit event is about: the members that apply to its action.
 *
 * @param version a key or backup version
 * @param groupId a group
 * @param keyId a client-wrapped group key's id
 * @param memberDid a member added or removed
 * @param deviceId a device
 */
public record AuditSubject(
    Optional<Integer> version,
    Optional<String> groupId,
    Optional<String> keyId,
    Optional<String> memberDid,
    Optional<String> deviceId) {

  /** A key or backup version. */
  public static AuditSubject version(int version) {
    return new AuditSubject(
        Optional.of(version),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }

  /** A group key version. */
  public static AuditSubject groupVersion(String groupId, int version) {
    return new AuditSubject(
        Optional.of(version),
        Optional.of(groupId),
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }

  /** A membership. */
  public static AuditSubject member(String groupId, String memberDid) {
    return new AuditSubject(
        Optional.empty(),
        Optional.of(groupId),
        Optional.empty(),
        Optional.of(memberDid),
        Optional.empty());
  }

  /** A client-wrapped group key. */
  public static AuditSubject wrappedKey(String groupId, String keyId) {
    return new AuditSubject(
        Optional.empty(),
        Optional.of(groupId),
        Optional.of(keyId),
        Optional.empty(),
        Optional.empty());
  }

  /** A device. */
  public static AuditSubject device(String deviceId) {
    return new AuditSubject(
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.of(deviceId));
  }

  /** Nothing more specific than the owner (a deletion of every backup version). */
  public static AuditSubject none() {
    return new AuditSubject(
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
  }
}
