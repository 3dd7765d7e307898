package dev.atpkeyserver.server.keys;

import io.helidon.dbclient.DbExecute;
import java.time.Instant;
import java.util.Optional;

/**
 * The rows of one kind of versioned key, as {@link KeyVersioning} changes them: a head row per key
 * holding its latest version number, and a row per version of which at most one is active.
 * Implemented by the kind's repository, which keeps the SQL (most of it shared through a {@link
 * KeyVersionRepository}). Every method runs in the caller's transaction.
 *
 * @param <K> how the kind names one key (a user's DID, a group id)
 */
public interface VersionedKeyStore<K> {

  /**
   * Locks the key's head row until the transaction ends.
   *
   * @return the latest version number, or empty when the key does not exist
   */
  Optional<Integer> lockHead(DbExecute tx, K key);

  /**
   * Creates the key's head row with latest version 1.
   *
   * @return false when another transaction created it first (this call then waited for that one to
   *     commit)
   */
  boolean insertHead(DbExecute tx, K key, Instant now);

  /**
   * Revokes the active version, if there is one, recording when and why.
   *
   * @return the number of versions revoked, 0 or 1
   */
  long revokeActive(DbExecute tx, K key, Instant now, String reason);

  /** Records {@code version} as the key's latest version. */
  void setLatestVersion(DbExecute tx, K key, int version);
}
