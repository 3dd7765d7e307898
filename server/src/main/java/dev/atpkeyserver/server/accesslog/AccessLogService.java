package dev.atpkeyserver.server.accesslog;

import dev.atpkeyserver.did.Did;
import dev.atpkeyserver.server.db.Database;
import dev.atpkeyserver.server.paging.Page;
import dev.atpkeyserver.xrpc.KeyserverException;
import java.util.Optional;

/** Reading a user's access log. Entries are written by the key services as they serve keys. */
public final class AccessLogService {

  private final Database database;
  private final AccessLogRepository logs;
  private final AccessLogWriter writer;

  public AccessLogService(Database database, AccessLogRepository logs, AccessLogWriter writer) {
    this.database = database;
    this.logs = logs;
    this.writer = writer;
  }

  /**
   * A page of the caller's log (reads of their keypair and of the groups they own), newest first:
   * the newest entries, or those after {@code after}.
   *
   * @throws KeyserverException {@code BAD_REQUEST} for a limit outside 1..{@value Page#MAX_LIMIT}
   */
  public Page<AccessLogEntry, LogPosition> page(
      Did caller, long limit, Optional<LogPosition> after) {
    int checked = Page.checkedLimit(limit);
    // Reads the caller made a moment ago are in their log (on every page: a page after a cursor
    // may have been asked for right after a read, too).
    writer.flush();
    return logs.page(database.execute(), caller.toString(), after, checked);
  }
}
