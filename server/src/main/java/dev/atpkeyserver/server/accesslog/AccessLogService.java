package dev.atpkeyserver.server.accesslog;

import dev.atpkeyserver.server.db.Database;
import dev.atpkeyserver.xrpc.ErrorKind;
import dev.atpkeyserver.xrpc.KeyserverException;
import java.util.List;

/** Reading a user's access log. Entries are written by the key services as they serve keys. */
public final class AccessLogService {

  /** The largest {@code limit} accepted, as in the lexicon. */
  public static final int MAX_LIMIT = 1000;

  private final Database database;
  private final AccessLogRepository logs;
  private final AccessLogWriter writer;

  public AccessLogService(Database database, AccessLogRepository logs, AccessLogWriter writer) {
    this.database = database;
    this.logs = logs;
    this.writer = writer;
  }

  /**
   * The caller's newest entries (reads of their keypair and of the groups they own), newest first.
   *
   * @throws KeyserverException {@code BAD_REQUEST} for a limit outside 1..{@value #MAX_LIMIT}
   */
  public List<AccessLogEntry> newest(String callerDid, long limit) {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new KeyserverException(
          ErrorKind.BAD_REQUEST, "Invalid parameter 'limit': must be between 1 and " + MAX_LIMIT);
    }
    // Reads the caller made a moment ago are in their log.
    writer.flush();
    return logs.newestFor(database.execute(), callerDid, (int) limit);
  }
}
