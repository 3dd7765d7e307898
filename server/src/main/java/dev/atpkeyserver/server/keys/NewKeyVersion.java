package dev.atpkeyserver.server.keys;

import io.helidon.dbclient.DbExecute;
import java.time.Instant;

/**
 * Makes the key material of a new version and stores it as the key's active version, in the
 * caller's transaction. What the material is and how it is sealed is the key kind's business.
 *
 * @param <K> how the key is named (a user's DID, a group id)
 */
@FunctionalInterface
public interface NewKeyVersion<K> {

  /**
   * Stores version {@code version} of {@code key} as active. The previous active version, if any,
   * has been revoked in the same transaction.
   *
   * @param createdAt the version's creation time, millisecond precision
   */
  void insertActive(DbExecute tx, K key, int version, Instant createdAt);
}
