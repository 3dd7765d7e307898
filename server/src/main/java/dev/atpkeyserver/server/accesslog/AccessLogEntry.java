package dev.atpkeyserver.server.accesslog;

import java.time.Instant;
import java.util.Optional;

/**
 * One read of key material or of a public key.
 *
 * @param ownerDid whose log it is: the keypair's user or the group's owner
 * @param keyType {@code keypair} or {@code group}
 * @param groupId the group, for group keys
 * @param version the key version actually served
 * @param accessedAt when
 * @param accessor who read it
 */
public record AccessLogEntry(
    String ownerDid,
    KeyType keyType,
    Optional<String> groupId,
    int version,
    Instant accessedAt,
    Accessor accessor) {

  /** The kind of key that was read. */
  public enum KeyType {
    KEYPAIR("keypair"),
    GROUP("group");

    private final String wireName;

    KeyType(String wireName) {
      this.wireName = wireName;
    }

    /** The name stored and returned by the API. */
    public String wireName() {
      return wireName;
    }

    static KeyType fromWireName(String name) {
      return "group".equals(name) ? GROUP : KEYPAIR;
    }
  }
}
