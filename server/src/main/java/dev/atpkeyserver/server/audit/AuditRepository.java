package dev.atpkeyserver.server.audit;

import dev.atpkeyserver.did.Did;
import dev.atpkeyserver.did.MalformedDidException;
import dev.atpkeyserver.server.accesslog.LogPosition;
import dev.atpkeyserver.server.db.Rows;
import dev.atpkeyserver.server.paging.Page;
import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbRow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** SQL for the {@code audit_events} table. */
public final class AuditRepository {

  private static final String INSERT =
      """
      INSERT INTO audit_events
        (owner_did, action, actor_did, version, group_id, key_id, member_did, device_id, details,
         created_at, ip, user_agent)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";
  private static final String MORE_ROWS = ", (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  private static final int ROWS_PER_STATEMENT = 100;
  private static final String COLUMNS =
      "id, owner_did, action, actor_did, version, group_id, key_id, member_did, device_id,"
          + " details, created_at, ip, user_agent";
  private static final String DELETE_OWNED_BY = "DELETE FROM audit_events WHERE owner_did = ?";
  private static final String ANONYMISE_ACTOR =
      "UPDATE audit_events SET actor_did = NULL, ip = NULL, user_agent = NULL"
          + " WHERE actor_did = ?";
  private static final String ANONYMISE_MEMBER =
      "UPDATE audit_events SET member_did = NULL WHERE member_did = ?";
  // Two steps, as for access logs (see AccessLogRepository): H2 re-runs a DELETE's subquery per
  // row.
  private static final String OLDEST_BEFORE =
      "SELECT id FROM audit_events WHERE created_at < ? ORDER BY created_at LIMIT ?";
  private static final String DELETE_IDS = "DELETE FROM audit_events WHERE id IN (";
  private static final int IDS_PER_DELETE = 500;

  /** Appends events, in statements of up to {@value #ROWS_PER_STATEMENT} rows. */
  public void insertBatch(DbExecute db, List<AuditEvent> events) {
    for (int from = 0; from < events.size(); from += ROWS_PER_STATEMENT) {
      List<AuditEvent> chunk =
          events.subList(from, Math.min(events.size(), from + ROWS_PER_STATEMENT));
      List<Object> params = new ArrayList<>(chunk.size() * 12);
      for (AuditEvent event : chunk) {
        AuditSubject subject = event.subject();
        params.add(event.ownerDid().toString());
        params.add(event.action().wireName());
        params.add(event.actorDid().map(Did::toString).orElse(null));
        params.add(subject.version().orElse(null));
        params.add(subject.groupId().orElse(null));
        params.add(subject.keyId().orElse(null));
        params.add(subject.memberDid().orElse(null));
        params.add(subject.deviceId().orElse(null));
        params.add(event.details().orElse(null));
        params.add(Rows.param(event.createdAt()));
        params.add(event.ip().orElse(null));
        params.add(event.userAgent().orElse(null));
      }
      db.createInsert(INSERT + MORE_ROWS.repeat(chunk.size() - 1)).params(params).execute();
    }
  }

  /**
   * A page of the owner's events, newest first, filtered: the newest, or those after {@code after}.
   * Reads the index {@code audit_events_by_owner} backwards.
   *
   * @param limit the page size; a position for the next page is returned when more remain
   */
  public Page<AuditEvent, LogPosition> page(
      DbExecute db,
      Did owner,
      Optional<AuditAction> action,
      Optional<Instant> since,
      Optional<Instant> until,
      Optional<LogPosition> after,
      int limit) {
    StringBuilder sql =
        new StringBuilder("SELECT ")
            .append(COLUMNS)
            .append(" FROM audit_events WHERE owner_did = ?");
    List<Object> params = new ArrayList<>();
    params.add(owner.toString());
    action.ifPresent(
        a -> {
          sql.append(" AND action = ?");
          params.add(a.wireName());
        });
    since.ifPresent(
        t -> {
          sql.append(" AND created_at >= ?");
          params.add(Rows.param(t));
        });
    until.ifPresent(
        t -> {
          sql.append(" AND created_at <= ?");
          params.add(Rows.param(t));
        });
    after.ifPresent(
        p -> {
          // Keyset continuation, as in AccessLogRepository: strictly after (created_at, id).
          sql.append(" AND created_at <= ? AND (created_at < ? OR id < ?)");
          params.add(Rows.param(p.accessedAt()));
          params.add(Rows.param(p.accessedAt()));
          params.add(p.id());
        });
    sql.append(" ORDER BY created_at DESC, id DESC LIMIT ?");
    params.add(Page.rowsToFetch(limit));
    List<Positioned> rows =
        db.createQuery(sql.toString())
            .params(params)
            .execute()
            .map(AuditRepository::positionedFromRow)
            .toList();
    return Page.cut(rows, limit, Positioned::event, Positioned::position);
  }

  /**
   * Erases the user's own log, and strips the user from other users' logs (as actor, with their
   * address, and as a member added or removed): those events stay, anonymous.
   *
   * @return the number of events deleted from the user's own log
   */
  public long eraseUser(DbExecute db, Did user) {
    String did = user.toString();
    db.update(ANONYMISE_ACTOR, did);
    db.update(ANONYMISE_MEMBER, did);
    return db.delete(DELETE_OWNED_BY, did);
  }

  /**
   * Deletes up to {@code limit} of the oldest events from before {@code cutoff}.
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

  private record Positioned(AuditEvent event, LogPosition position) {}

  private static Positioned positionedFromRow(DbRow row) {
    AuditEvent event =
        new AuditEvent(
            storedDid(row.column("owner_did").getString()),
            AuditAction.fromWireName(row.column("action").getString()),
            Rows.optionalString(row, "actor_did").map(AuditRepository::storedDid),
            new AuditSubject(
                optionalInteger(row, "version"),
                Rows.optionalString(row, "group_id"),
                Rows.optionalString(row, "key_id"),
                Rows.optionalString(row, "member_did"),
                Rows.optionalString(row, "device_id")),
            Rows.optionalString(row, "details"),
            Rows.instant(row, "created_at"),
            Rows.optionalString(row, "ip"),
            Rows.optionalString(row, "user_agent"));
    return new Positioned(event, new LogPosition(event.createdAt(), Rows.longValue(row, "id")));
  }

  private static Optional<Integer> optionalInteger(DbRow row, String column) {
    Object value = row.column(column).get(Object.class);
    return value == null ? Optional.empty() : Optional.of(((Number) value).intValue());
  }

  /** A DID this repository wrote: always a valid one, taken from an authenticated caller. */
  private static Did storedDid(String text) {
    try {
      return Did.parse(text);
    } catch (MalformedDidException e) {
      throw new IllegalStateException("Malformed DID in audit_events", e);
    }
  }
}
