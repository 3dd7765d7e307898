package dev.atpkeyserver.server.keys;

import dev.atpkeyserver.server.db.Rows;
import dev.atpkeyserver.server.paging.Page;
import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbRow;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The SQL every versioned key's tables share. A kind of versioned key has a head table, one row per
 * key with its {@code latest_version}, and a version table, one row per version with {@code
 * version}, {@code active} ({@code TRUE} for the active version, {@code NULL} once revoked), {@code
 * created_at}, {@code revoked_at} and {@code revocation_reason}; both name the key in the same id
 * column. The kind's own repository holds one of these and adds the statements that differ (its
 * columns of key material, its head row's other columns).
 */
public final class KeyVersionRepository {

  private static final Pattern NAME = Pattern.compile("[a-z_]+");

  private final String lockHead;
  private final String setLatest;
  private final String revokeActive;
  private final String versions;

  /**
   * @param headTable the table with one row per key
   * @param versionTable the table with one row per version
   * @param idColumn the column naming the key in both
   */
  public KeyVersionRepository(String headTable, String versionTable, String idColumn) {
    for (String name : List.of(headTable, versionTable, idColumn)) {
      // The names are spliced into SQL: constants from code, never input.
      if (!NAME.matcher(name).matches()) {
        throw new IllegalArgumentException("Not a table or column name: " + name);
      }
    }
    lockHead = "SELECT latest_version FROM " + headTable + " WHERE " + idColumn + " = ? FOR UPDATE";
    setLatest = "UPDATE " + headTable + " SET latest_version = ? WHERE " + idColumn + " = ?";
    revokeActive =
        "UPDATE "
            + versionTable
            + " SET active = NULL, revoked_at = ?, revocation_reason = ?"
            + " WHERE "
            + idColumn
            + " = ? AND active = TRUE";
    versions =
        "SELECT version, active, created_at, revoked_at FROM "
            + versionTable
            + " WHERE "
            + idColumn
            + " = ? AND version <= ? ORDER BY version DESC LIMIT ?";
  }

  /**
   * Locks the key's head row until the transaction ends.
   *
   * @return the latest version number, or empty when the key does not exist
   */
  public Optional<Integer> lockHead(DbExecute tx, String id) {
    return tx.get(lockHead, id).map(row -> Rows.integer(row, "latest_version"));
  }

  /** Records {@code version} as the key's latest version. */
  public void setLatestVersion(DbExecute tx, String id, int version) {
    tx.update(setLatest, version, id);
  }

  /**
   * Revokes the active version, if any, recording when and why.
   *
   * @return the number of versions revoked, 0 or 1
   */
  public long revokeActive(DbExecute tx, String id, Instant now, String reason) {
    return tx.update(revokeActive, Rows.param(now), reason, id);
  }

  /**
   * A page of versions, newest first: the newest, or those below {@code before}. A range on the
   * primary key (id, version), read backwards.
   *
   * @param limit the page size, or {@link Page#UNLIMITED}
   */
  public Page<KeyVersionInfo, Integer> versions(
      DbExecute db, String id, Optional<Integer> before, int limit) {
    int atMost = before.map(v -> v - 1).orElse(Integer.MAX_VALUE);
    List<KeyVersionInfo> rows =
        db.query(versions, id, atMost, Page.rowsToFetch(limit))
            .map(KeyVersionRepository::versionFromRow)
            .toList();
    return Page.cut(rows, limit, v -> v, KeyVersionInfo::version);
  }

  private static KeyVersionInfo versionFromRow(DbRow row) {
    return new KeyVersionInfo(
        Rows.integer(row, "version"),
        Rows.isTrue(row, "active"),
        Rows.instant(row, "created_at"),
        Rows.optionalInstant(row, "revoked_at"));
  }
}
