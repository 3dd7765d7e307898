package dev.atpkeyserver.server.audit;

import dev.atpkeyserver.xrpc.ErrorKind;
import dev.atpkeyserver.xrpc.KeyserverException;

/** The closed set of audit actions, as {@code audit.listEvents} names them. */
public enum AuditAction {
  KEYPAIR_CREATED("keypair.created"),
  KEYPAIR_ROTATED("keypair.rotated"),
  KEYPAIR_READ("keypair.read"),
  PUBLIC_KEY_READ("publicKey.read"),
  GROUP_KEY_CREATED("groupKey.created"),
  GROUP_KEY_ROTATED("groupKey.rotated"),
  GROUP_KEY_READ("groupKey.read"),
  MEMBER_ADDED("group.memberAdded"),
  MEMBER_REMOVED("group.memberRemoved"),
  DEVICE_REGISTERED("device.registered"),
  DEVICE_REVOKED("device.revoked"),
  PREKEYS_UPLOADED("prekeys.uploaded"),
  BUNDLE_CLAIMED("bundle.claimed"),
  BACKUP_CREATED("backup.created"),
  BACKUP_UPDATED("backup.updated"),
  BACKUP_READ("backup.read"),
  BACKUP_DELETED("backup.deleted"),
  WRAPPED_KEYS_PUT("wrappedKeys.put"),
  WRAPPED_KEYS_READ("wrappedKeys.read");

  private final String wireName;

  AuditAction(String wireName) {
    this.wireName = wireName;
  }

  /** The name in the lexicon and in the database. */
  public String wireName() {
    return wireName;
  }

  /**
   * The action of a wire name.
   *
   * @throws KeyserverException {@code BAD_REQUEST} for a name outside the set
   */
  public static AuditAction fromWireName(String name) {
    for (AuditAction action : values()) {
      if (action.wireName.equals(name)) {
        return action;
      }
    }
    throw new KeyserverException(
        ErrorKind.BAD_REQUEST, "Invalid parameter 'action': not a known audit action");
  }
}
