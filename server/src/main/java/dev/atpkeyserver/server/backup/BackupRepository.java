package dev.atpkeyserver.server.backup;

import dev.atpkeyserver.server.db.Rows;
import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbRow;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * SQL for {@code backup_heads} and {@code backups}. Methods that change a user's backups expect a
 * transaction holding the user's head row lock ({@link #lockHead}).
 */
public final class BackupRepository {

  private static final String LOCK_HEAD =
      "SELECT latest_version FROM backup_heads WHERE owner_did = ? FOR UPDATE";
  private static final String INSERT_HEAD =
      """
      INSERT INTO backup_heads (owner_did, latest_version) VALUES (?, 0)
      ON CONFLICT DO NOTHING
      """;
  private static final String SET_LATEST =
      "UPDATE backup_heads SET latest_version = ? WHERE owner_did = ?";
  private static final String CURRENT_VERSION =
      "SELECT version FROM backups WHERE owner_did = ? ORDER BY version DESC LIMIT 1";
  private static final String INSERT =
      """
      INSERT INTO backups (owner_did, version, bundle, size, checksum, algorithm, kdf, kdf_params,
                           nonce, salt, stored_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      """;
  private static final String PRUNE = "DELETE FROM backups WHERE owner_did = ? AND version <= ?";
  private static final String COLUMNS =
      "version, bundle, checksum, algorithm, kdf, kdf_params, nonce, salt, stored_at";
  private static final String NEWEST =
      "SELECT " + COLUMNS + " FROM backups WHERE owner_did = ? ORDER BY version DESC LIMIT 1";
  private static final String AT_VERSION =
      "SELECT " + COLUMNS + " FROM backups WHERE owner_did = ? AND version = ?";
  private static final String VERSIONS =
      "SELECT version, size, checksum, stored_at FROM backups WHERE owner_did = ?"
          + " ORDER BY version DESC";
  private static final String DELETE_ALL = "DELETE FROM backups WHERE owner_did = ?";
  private static final String DELETE_HEAD = "DELETE FROM backup_heads WHERE owner_did = ?";

  /**
   * Locks the user's head row, creating it first when the user never put a backup, and returns the
   * last version number handed out (0 before the first put).
   */
  int lockOrCreateHead(DbExecute tx, String ownerDid) {
    Optional<Integer> latest = lockHead(tx, ownerDid);
    if (latest.isPresent()) {
      return latest.get();
    }
    // @NOTE a concurrent first put may insert the row between our lock attempt and our insert;
    // the insert then waits for it to commit and does nothing, and the lock below waits its turn.
    tx.insert(INSERT_HEAD, ownerDid);
    return lockHead(tx, ownerDid)
        .orElseThrow(
            () -> new IllegalStateException("Backup head row vanished after its creation"));
  }

  /** Locks the user's head row; the last version handed out, empty if they never put one. */
  Optional<Integer> lockHead(DbExecute tx, String ownerDid) {
    return tx.get(LOCK_HEAD, ownerDid).map(row -> Rows.integer(row, "latest_version"));
  }

  void setLatestVersion(DbExecute tx, String ownerDid, int version) {
    tx.update(SET_LATEST, version, ownerDid);
  }

  /** The newest stored version, or 0 when the user has none. */
  int currentVersion(DbExecute db, String ownerDid) {
    return db.get(CURRENT_VERSION, ownerDid).map(row -> Rows.integer(row, "version")).orElse(0);
  }

  void insert(DbExecute tx, String ownerDid, StoredBackup backup) {
    BackupContent content = backup.content();
    tx.insert(
        INSERT,
        ownerDid,
        backup.version(),
        content.bundle(),
        content.bundle().length,
        content.checksum(),
        content.algorithm(),
        content.kdf().orElse(null),
        content.kdfParams().orElse(null),
        content.nonce(),
        content.salt(),
        Rows.param(backup.storedAt()));
  }

  /** Deletes the versions up to {@code version}; returns how many. */
  long deleteUpTo(DbExecute tx, String ownerDid, int version) {
    return tx.delete(PRUNE, ownerDid, version);
  }

  /** The newest version, or {@code version}. */
  Optional<StoredBackup> find(DbExecute db, String ownerDid, Optional<Integer> version) {
    return (version.isPresent()
            ? db.get(AT_VERSION, ownerDid, version.get())
            : db.get(NEWEST, ownerDid))
        .map(BackupRepository::fromRow);
  }

  /** Every stored version, newest first. */
  List<BackupVersion> versions(DbExecute db, String ownerDid) {
    return db.query(VERSIONS, ownerDid)
        .map(
            row ->
                new BackupVersion(
                    Rows.integer(row, "version"),
                    Rows.integer(row, "size"),
                    row.column("checksum").getString(),
                    Rows.instant(row, "stored_at")))
        .toList();
  }

  /** Deletes every stored version, keeping the head (version numbers are never reused). */
  long deleteVersions(DbExecute tx, String ownerDid) {
    return tx.delete(DELETE_ALL, ownerDid);
  }

  /** Deletes every version and the head row (account deletion); returns the versions deleted. */
  public long deleteAll(DbExecute tx, String ownerDid) {
    long versions = tx.delete(DELETE_ALL, ownerDid);
    tx.delete(DELETE_HEAD, ownerDid);
    return versions;
  }

  private static StoredBackup fromRow(DbRow row) {
    return new StoredBackup(
        Rows.integer(row, "version"),
        Rows.instant(row, "stored_at"),
        new BackupContent(
            row.column("bundle").get(byte[].class),
            row.column("checksum").getString(),
            row.column("algorithm").getString(),
            Rows.optionalString(row, "kdf"),
            Rows.optionalString(row, "kdf_params"),
            row.column("nonce").getString(),
            row.column("salt").getString()));
  }

  /**
   * One version as listed.
   *
   * @param version its number
   * @param size the decoded bundle's length in bytes
   * @param checksum the hex SHA-256 as put
   * @param storedAt when it was put
   */
  public record BackupVersion(int version, int size, String checksum, Instant storedAt) {}
}
