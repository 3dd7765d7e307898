package dev.atpkeyserver.server.audit;

import dev.atpkeyserver.did.Did;
import dev.atpkeyserver.server.accesslog.LogPosition;
import dev.atpkeyserver.server.db.Database;
import dev.atpkeyserver.server.paging.Page;
import dev.atpkeyserver.xrpc.ErrorKind;
import dev.atpkeyserver.xrpc.KeyserverException;
import java.time.Instant;
import java.util.Optional;

/** Reads a user's own audit log. */
public final class AuditService {

  /** The largest page {@code audit.listEvents} answers. */
  public static final int MAX_LIMIT = 100;

  private final Database database;
  private final AuditRepository events;
  private final AuditLog log;

  public AuditService(Database database, AuditRepository events, AuditLog log) {
    this.database = database;
    this.events = events;
    this.log = log;
  }

  /**
   * A page of the caller's events, newest first, filtered by action and time.
   *
   * @throws KeyserverException {@code BAD_REQUEST} for a limit outside 1..{@value #MAX_LIMIT} or an
   *     {@code until} before {@code since}
   */
  public Page<AuditEvent, LogPosition> page(
      Did caller,
      Optional<AuditAction> action,
      Optional<Instant> since,
      Optional<Instant> until,
      long limit,
      Optional<LogPosition> after) {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new KeyserverException(
          ErrorKind.BAD_REQUEST, "Invalid parameter 'limit': must be between 1 and " + MAX_LIMIT);
    }
    if (since.isPresent() && until.isPresent() && until.get().isBefore(since.get())) {
      throw new KeyserverException(
          ErrorKind.BAD_REQUEST, "Invalid parameter 'until': must not be before 'since'");
    }
    // Events of reads are written in the background: a user sees their own reads.
    log.flush();
    return events.page(database.execute(), caller, action, since, until, after, (int) limit);
  }
}
