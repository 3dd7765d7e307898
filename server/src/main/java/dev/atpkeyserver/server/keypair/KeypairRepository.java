package dev.atpkeyserver.server.keypair;

import dev.atpkeyserver.server.db.Rows;
import dev.atpkeyserver.server.keys.KeyVersionInfo;
import dev.atpkeyserver.server.keys.KeyVersionRepository;
import dev.atpkeyserver.server.keys.VersionedKeyStore;
import dev.atpkeyserver.server.paging.Page;
import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbRow;
import java.time.Instant;
import java.util.Optional;

/**
 * SQL for the {@code keypair_owners} and {@code keypair_versions} tables. Methods that change rows
 * expect to run inside a transaction holding the owner row's lock ({@link #lockHead}).
 */
public final class KeypairRepository implements VersionedKeyStore<String> {

  private static final String COLUMNS = "did, version, public_key, private_key_ciphertext";
  private static final String ACTIVE =
      "SELECT " + COLUMNS + " FROM keypair_versions WHERE did = ? AND active = TRUE";
  private static final String AT_VERSION =
      "SELECT " + COLUMNS + " FROM keypair_versions WHERE did = ? AND version = ?";
  private static final String OWNER_EXISTS = "SELECT did FROM keypair_owners WHERE did = ?";
  // No conflict target: the portable form on PostgreSQL and H2. The primary key is the only
  // constraint that can conflict.
  private static final String INSERT_OWNER =
      """
      INSERT INTO keypair_owners (did, latest_version, created_at) VALUES (?, 1, ?)
      ON CONFLICT DO NOTHING
      """;
  private static final String INSERT_VERSION =
      """
      INSERT INTO keypair_versions
        (did, version, public_key, private_key_ciphertext, active, created_at)
      VALUES (?, ?, ?, ?, TRUE, ?)
      """;
  private static final String DELETE_VERSIONS = "DELETE FROM keypair_versions WHERE did = ?";
  private static final String DELETE_OWNER = "DELETE FROM keypair_owners WHERE did = ?";

  private final KeyVersionRepository versions =
      new KeyVersionRepository("keypair_owners", "keypair_versions", "did");

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

  /** Locks the user's owner row; the newest version number, or empty without a keypair. */
  @Override
  public Optional<Integer> lockHead(DbExecute tx, String did) {
    return versions.lockHead(tx, did);
  }

  /** Creates the owner row; false when another transaction created it first (and committed). */
  @Override
  public boolean insertHead(DbExecute tx, String did, Instant now) {
    return tx.insert(INSERT_OWNER, did, Rows.param(now)) == 1;
  }

  @Override
  public long revokeActive(DbExecute tx, String did, Instant now, String reason) {
    return versions.revokeActive(tx, did, now, reason);
  }

  @Override
  public void setLatestVersion(DbExecute tx, String did, int version) {
    versions.setLatestVersion(tx, did, version);
  }

  /** Stores a new active version. The caller has revoked the previous one. */
  void insertActiveVersion(
      DbExecute tx, String did, int version, byte[] publicKey, byte[] sealed, Instant now) {
    tx.insert(INSERT_VERSION, did, version, publicKey, sealed, Rows.param(now));
  }

  /**
   * A page of versions, newest first: the newest, or those below {@code before}.
   *
   * @param limit the page size, or {@link Page#UNLIMITED}
   */
  Page<KeyVersionInfo, Integer> versions(
      DbExecute db, String did, Optional<Integer> before, int limit) {
    return versions.versions(db, did, before, limit);
  }

  /**
   * Deletes every version and the owner row.
   *
   * @return the number of key versions deleted
   */
  long deleteAll(DbExecute tx, String did) {
    // Owner row first, as rotations do, so a concurrent rotation and deletion cannot deadlock.
    lockHead(tx, did);
    long deleted = tx.delete(DELETE_VERSIONS, did);
    tx.delete(DELETE_OWNER, did);
    return deleted;
  }

  private static StoredKeypair keypairFromRow(DbRow row) {
    return new StoredKeypair(
        row.column("did").getString(),
        Rows.integer(row, "version"),
        row.column("public_key").get(byte[].class),
        row.column("private_key_ciphertext").get(byte[].class));
  }
}
