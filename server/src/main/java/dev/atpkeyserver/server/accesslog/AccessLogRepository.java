package dev.atpkeyserver.server.accesslog;

import dev.atpkeyserver.did.Did;
import dev.atpkeyserver.did.MalformedDidException;
import dev.atpkeyserver.server.accesslog.AccessLogEntry.KeyType;
import dev.atpkeyserver.server.db.Database;
import dev.atpkeyserver.server.db.Rows;
import dev.atpkeyserver.server.paging.Page;
import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbRow;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/** SQL for the {@code access_logs} table. */
public final class AccessLogRepository {

  private static final String INSERT =
      """
      INSERT INTO access_logs
        (owner_did, key_type, group_id, device_id, accessor_did, version, accessed_at, ip,
         user_agent)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""";
  private static final int ROWS_PER_STATEMENT = 100;
  private static final String COPY =
      """
      COPY access_logs
        (owner_did, key_type, group_id, device_id, accessor_did, version, accessed_at, ip,
         user_agent)
      FROM STDIN""";
  private static final String COLUMNS =
      "id, owner_did, key_type, group_id, device_id, accessor_did, version, accessed_at, ip,"
          + " user_agent";
  // Both read the index access_logs_by_owner (owner_did, accessed_at, id) backwards: no sort.
  private static final String NEWEST_FOR_OWNER =
      "SELECT "
          + COLUMNS
          + " FROM access_logs WHERE owner_did = ?"
          + " ORDER BY accessed_at DESC, id DESC LIMIT ?";
  // Keyset continuation: strictly after (accessed_at, id) in descending order. The redundant
  // "accessed_at <= ?" gives both planners a range on the index; the OR alone would not.
  private static final String OLDER_FOR_OWNER =
      "SELECT "
          + COLUMNS
          + " FROM access_logs WHERE owner_did = ?"
          + " AND accessed_at <= ? AND (accessed_at < ? OR id < ?)"
          + " ORDER BY accessed_at DESC, id DESC LIMIT ?";
  // @NOTE two steps (pick the oldest ids, then delete those ids) rather than one
  // DELETE ... WHERE id IN (SELECT ... LIMIT n): H2 re-runs that subquery per row, which made a
  // 5,000-row batch take over a minute on the embedded default; PostgreSQL has no DELETE ... LIMIT.
  private static final String OLDEST_BEFORE =
      "SELECT id FROM access_logs WHERE accessed_at < ? ORDER BY accessed_at LIMIT ?";
  private static final String DELETE_IDS = "DELETE FROM access_logs WHERE id IN (";
  private static final int IDS_PER_DELETE = 500;
  private static final String DELETE_OWNED_BY = "DELETE FROM access_logs WHERE owner_did = ?";
  private static final String ANONYMISE_READS_BY =
      "UPDATE access_logs SET accessor_did = NULL, ip = NULL, user_agent = NULL"
          + " WHERE accessor_did = ?";

  /**
   * Writes a batch of entries in one transaction, whole or not at all, for the background writer:
   * on PostgreSQL as one {@code COPY} (the cheapest way in, and one round trip), elsewhere (H2) as
   * multi-row INSERTs.
   *
   * <p>The commit is synchronous, like every other: once it returns, the entries survive a crash of
   * PostgreSQL or of its machine. ({@code synchronous_commit = off} would have saved a disk flush
   * per batch, but an immediate stop of PostgreSQL then lost the entries of reads already answered,
   * which DatabaseOutageTest refuses.)
   */
  public void writeBatch(Database database, List<AccessLogEntry> entries) {
    if (!database.settings().isPostgres()) {
      database.inTransaction(
          tx -> {
            insertBatch(tx, entries);
            return null;
          });
      return;
    }
    byte[] rows = CopyRows.encode(entries);
    database.inJdbcTransaction(
        connection -> {
          CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(COPY);
          try {
            copy.writeToCopy(rows, 0, rows.length);
            copy.endCopy();
          } finally {
            if (copy.isActive()) {
              copy.cancelCopy();
            }
          }
          return null;
        });
  }

  /** Appends entries, in statements of up to {@value #ROWS_PER_STATEMENT} rows. */
  public void insertBatch(DbExecute db, List<AccessLogEntry> entries) {
    for (int from = 0; from < entries.size(); from += ROWS_PER_STATEMENT) {
      List<AccessLogEntry> chunk =
          entries.subList(from, Math.min(entries.size(), from + ROWS_PER_STATEMENT));
      List<Object> params = new ArrayList<>(chunk.size() * 9);
      for (AccessLogEntry entry : chunk) {
        params.add(entry.ownerDid());
        params.add(entry.keyType().wireName());
        params.add(entry.groupId().orElse(null));
        params.add(entry.deviceId().orElse(null));
        params.add(entry.accessor().did().map(Did::toString).orElse(null));
        params.add(entry.version());
        params.add(Rows.param(entry.accessedAt()));
        params.add(entry.accessor().ip().orElse(null));
        params.add(entry.accessor().userAgent().orElse(null));
      }
      db.createInsert(INSERT + ", (?, ?, ?, ?, ?, ?, ?, ?, ?)".repeat(chunk.size() - 1))
          .params(params)
          .execute();
    }
  }

  /**
   * A page of the owner's entries, newest first: the newest, or those after {@code after}.
   *
   * @param limit the page size; a position for the next page is returned when more remain
   */
  public Page<AccessLogEntry, LogPosition> page(
      DbExecute db, String ownerDid, Optional<LogPosition> after, int limit) {
    int rows = Page.rowsToFetch(limit);
    Stream<DbRow> result;
    if (after.isPresent()) {
      OffsetDateTime accessedAt = Rows.param(after.get().accessedAt());
      result = db.query(OLDER_FOR_OWNER, ownerDid, accessedAt, accessedAt, after.get().id(), rows);
    } else {
      result = db.query(NEWEST_FOR_OWNER, ownerDid, rows);
    }
    List<Positioned> fetched = result.map(AccessLogRepository::positionedFromRow).toList();
    return Page.cut(fetched, limit, Positioned::entry, Positioned::position);
  }

  /**
   * Erases the user's own log, and strips the user's identity (DID, IP, user agent) from the
   * entries that record them reading other people's group keys: those entries stay in their owners'
   * logs, anonymous.
   *
   * @return the number of entries deleted from the user's own log
   */
  public long eraseUser(DbExecute db, Did user) {
    String did = user.toString();
    db.update(ANONYMISE_READS_BY, did);
    return db.delete(DELETE_OWNED_BY, did);
  }

  /**
   * Deletes up to {@code limit} of the oldest entries from before {@code cutoff}.
   *
   * @return how many were deleted
   */
  public long deleteOlderThan(DbExecute db, Instant cutoff, int limit) {
    List<Long> ids =
        db.query(OLDEST_BEFORE, Rows.param(cutoff), limit)
            .map(row -> row.column("id").getLong())
            .toList();
    long deleted = 0;
    for (int from = 0; from < ids.size(); from += IDS_PER_DELETE) {
      List<Long> chunk = ids.subList(from, Math.min(ids.size(), from + IDS_PER_DELETE));
      deleted +=
          db.createDelete(DELETE_IDS + "?, ".repeat(chunk.size() - 1) + "?)")
              .params(new ArrayList<Object>(chunk))
              .execute();
    }
    return deleted;
  }

  /** A listed entry with the position a cursor after it would hold. */
  private record Positioned(AccessLogEntry entry, LogPosition position) {}

  private static Positioned positionedFromRow(DbRow row) {
    AccessLogEntry entry = fromRow(row);
    return new Positioned(entry, new LogPosition(entry.accessedAt(), Rows.longValue(row, "id")));
  }

  private static AccessLogEntry fromRow(DbRow row) {
    return new AccessLogEntry(
        row.column("owner_did").getString(),
        KeyType.fromWireName(row.column("key_type").getString()),
        Rows.optionalString(row, "group_id"),
        Rows.optionalString(row, "device_id"),
        Rows.integer(row, "version"),
        Rows.instant(row, "accessed_at"),
        new Accessor(
            Rows.optionalString(row, "accessor_did").map(AccessLogRepository::storedDid),
            Rows.optionalString(row, "ip"),
            Rows.optionalString(row, "user_agent")));
  }

  /** A DID this repository wrote: always a valid one, taken from an authenticated caller. */
  private static Did storedDid(String text) {
    try {
      return Did.parse(text);
    } catch (MalformedDidException e) {
      throw new IllegalStateException("Malformed accessor_did in access_logs", e);
    }
  }
}
