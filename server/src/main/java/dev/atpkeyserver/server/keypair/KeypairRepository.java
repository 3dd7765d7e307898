package dev.atpkeyserver.server.keypair;

import dev.atpkeyserver.server.db.Rows;
import dev.atpkeyserver.server.keys.KeyVersionInfo;
import dev.atpkeyserver.server.paging.Page;
import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbRow;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * SQL for the {@code keypair_owners} and {@code keypair_versions} tables. Methods that change rows
 * expect to run inside a transaction holding the owner row's lock ({@link #lockOwner}).
 */
public final class KeypairRepository {

  private static final String COLUMNS = "did, version, public_key, private_key_ciphertext";
  private static final String ACTIVE =
      "SELECT " + COLUMNS + " FROM keypair_versions WHERE did = ? AND active = TRUE";
  private static final String AT_VERSION =
      "SELECT " + COLUMNS + " FROM keypair_versions WHERE did = ? AND version = ?";
  private static final String OWNER_EXISTS = "SELECT did FROM keypair_owners WHERE did = ?";
  private static final String LOCK_OWNER =
      "SELECT latest_version FROM keypair_owners WHERE did = ? FOR UPDATE";
  // No conflict target: the portable form on PostgreSQL and H2. The primary key is the only
  // constraint that can conflict.
  private static final String INSERT_OWNER =
      """
      INSERT INTO keypair_owners (did, latest_version, created_at) VALUES (?, 1, ?)
      ON CONFLICT DO NOTHING
      """;
  private static final String SET_LATEST =
      "UPDATE keypair_owners SET latest_version = ? WHERE did = ?";
  private static final String INSERT_VERSION =
      """
      INSERT INTO keypair_versions
        (did, version, public_key, private_key_ciphertext, active, created_at)
      VALUES (?, ?, ?, ?, TRUE, ?)
      """;
  private static final String REVOKE_ACTIVE =
      """
      UPDATE keypair_versions SET active = NULL, revoked_at = ?, revocation_reason = ?
      WHERE did = ? AND active = TRUE
      """;
  private static final String VERSIONS =
      """
      SELECT version, active, created_at, revoked_at FROM keypair_versions
      WHERE did = ? AND version <= ? ORDER BY version DESC LIMIT ?
      """;
  private static final String DELETE_VERSIONS = "DELETE FROM keypair_versions WHERE did = ?";
  private static final String DELETE_OWNER = "DELETE FROM keypair_owners WHERE did = ?";

  /** The user's active version. */
  Optional<StoredKeypair> active(DbExecute db, String did) {
    return db.get(ACTIVE, did).map(KeypairRepository::keypairFromRow);
  }

  /** One version, active or revoked. */
  Optional<StoredKeypair> atVersion(DbExecute db, String did, int version) {
    return db.get(AT_VERSION, did, version).map(KeypairRepository::keypairFromRow);
  }

  /** Whether the user has a keypair at all. */
  boolean hasKeypair(DbExecute db, String did) {
    return db.get(OWNER_EXISTS, did).isPresent();
  }

  /**
   * Locks the user's owner row until the transaction ends.
   *
   * @return the newest version number, or empty when the user has no keypair yet
   */
  Optional<Integer> lockOwner(DbExecute tx, String did) {
    return tx.get(LOCK_OWNER, did).map(row -> Rows.integer(row, "latest_version"));
  }

  /**
   * Creates the owner row with {@code latest_version = 1}.
   *
   * @return false when another transaction created it first (this call then waited for it)
   */
  boolean insertOwner(DbExecute tx, String did, Instant now) {
    return tx.insert(INSERT_OWNER, did, Rows.param(now)) == 1;
  }

  void setLatestVersion(DbExecute tx, String did, int version) {
    tx.update(SET_LATEST, version, did);
  }

  /** Stores a new active version. The caller has revoked the previous one. */
  void insertActiveVersion(
      DbExecute tx, String did, int version, byte[] publicKey, byte[] sealed, Instant now) {
    tx.insert(INSERT_VERSION, did, version, publicKey, sealed, Rows.param(now));
  }

  /** Revokes the active version, if any, recording when and why. */
  long revokeActive(DbExecute tx, String did, Instant now, String reason) {
    return tx.update(REVOKE_ACTIVE, Rows.param(now), reason, did);
  }

  /**
   * A page of versions, newest first: the newest, or those below {@code before}. A range on the
   * primary key (did, version), read backwards.
   *
   * @param limit the page size, or {@link Page#UNLIMITED}
   */
  Page<KeyVersionInfo, Integer> versions(
      DbExecute db, String did, Optional<Integer> before, int limit) {
    int atMost = before.map(v -> v - 1).orElse(Integer.MAX_VALUE);
    List<KeyVersionInfo> rows =
        db.query(VERSIONS, did, atMost, Page.rowsToFetch(limit))
            .map(KeypairRepository::versionFromRow)
            .toList();
    return Page.cut(rows, limit, v -> v, KeyVersionInfo::version);
  }

  /**
   * Deletes every version and the owner row.
   *
   * @return the number of key versions deleted
   */
  long deleteAll(DbExecute tx, String did) {
    // Owner row first, as rotations do, so a concurrent rotation and deletion cannot deadlock.
    lockOwner(tx, did);
    long versions = tx.delete(DELETE_VERSIONS, did);
    tx.delete(DELETE_OWNER, did);
    return versions;
  }

  private static StoredKeypair keypairFromRow(DbRow row) {
    return new StoredKeypair(
        row.column("did").getString(),
        Rows.integer(row, "version"),
        row.column("public_key").get(byte[].class),
        row.column("private_key_ciphertext").get(byte[].class));
  }

  static KeyVersionInfo versionFromRow(DbRow row) {
    return new KeyVersionInfo(
        Rows.integer(row, "version"),
        Rows.isTrue(row, "active"),
        Rows.instant(row, "created_at"),
        Rows.optionalInstant(row, "revoked_at"));
  }
}
