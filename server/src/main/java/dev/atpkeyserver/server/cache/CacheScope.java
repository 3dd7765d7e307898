package dev.atpkeyserver.server.cache;

import java.util.Optional;

/**
 * What a write may have made stale: one user's keypair versions, or one group's key versions and
 * memberships (an account deletion names its user and every group it touched), or everything. It
 * travels between instances as a short text ({@link #wire()}).
 *
 * @param kind which cache the scope belongs to
 * @param id the user's DID or the group id; empty for {@link Kind#ALL}
 */
public record CacheScope(Kind kind, String id) {

  /** Which cached data a scope covers. */
  public enum Kind {
    /** One user's keypair versions; the id is their DID. */
    KEYPAIR('k'),
    /** One group's key versions and who may read them; the id is the group id. */
    GROUP('g'),
    /** Everything: what a listener does with a message it does not understand. */
    ALL('*');

    private final char tag;

    Kind(char tag) {
      this.tag = tag;
    }
  }

  /** A user's keypair versions. */
  public static CacheScope keypair(String did) {
    return new CacheScope(Kind.KEYPAIR, did);
  }

  /** A group's key versions and memberships. */
  public static CacheScope group(String groupId) {
    return new CacheScope(Kind.GROUP, groupId);
  }

  /** Everything cached. */
  public static CacheScope all() {
    return new CacheScope(Kind.ALL, "");
  }

  /** The scope as sent to other instances: a one-character tag, then the id. */
  public String wire() {
    return kind.tag + id;
  }

  /** Reads {@link #wire()}'s form; empty for anything else (a newer instance's message, noise). */
  public static Optional<CacheScope> fromWire(String text) {
    if (text == null || text.isEmpty()) {
      return Optional.empty();
    }
    String id = text.substring(1);
    for (Kind kind : Kind.values()) {
      if (kind.tag == text.charAt(0) && (kind == Kind.ALL) == id.isEmpty()) {
        return Optional.of(new CacheScope(kind, id));
      }
    }
    return Optional.empty();
  }
}
