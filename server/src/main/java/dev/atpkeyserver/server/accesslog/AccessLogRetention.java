package dev.atpkeyserver.server.accesslog;

import dev.atpkeyserver.server.db.Database;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Deletes access-log entries older than the retention period (90 days by default, as the API's
 * changelog announces), on a background thread, in small batches: each batch is its own short
 * statement, so the purge never holds locks that requests wait for.
 */
public final class AccessLogRetention implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(AccessLogRetention.class.getName());
  static final int BATCH = 5_000;

  private final Database database;
  private final AccessLogRepository logs;
  private final Duration retention;
  private final Clock clock;
  private final ScheduledExecutorService scheduler;

  /**
   * Starts purging every {@code interval}, the first time after a minute (start-up stays quick).
   *
   * @param retention how long entries are kept
   */
  public AccessLogRetention(
      Database database,
      AccessLogRepository logs,
      Duration retention,
      Duration interval,
      Clock clock) {
    this.database = database;
    this.logs = logs;
    this.retention = retention;
    this.clock = clock;
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("access-log-retention").daemon().factory());
    // The future is not needed: purgeLogged reports its own failures, and close() ends the runs.
    var unused =
        scheduler.scheduleWithFixedDelay(
            this::purgeLogged, 60_000, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Deletes every entry older than the retention period.
   *
   * @return how many were deleted
   */
  public long purge() {
    Instant cutoff = clock.instant().minus(retention);
    long total = 0;
    long deleted;
    do {
      deleted = logs.deleteOlderThan(database.execute(), cutoff, BATCH);
      total += deleted;
    } while (deleted == BATCH);
    return total;
  }

  private void purgeLogged() {
    try {
      long deleted = purge();
      if (deleted > 0) {
        LOG.log(Level.INFO, "Access-log retention: deleted {0} entries", String.valueOf(deleted));
      }
    } catch (RuntimeException e) {
      // The next run tries again; a failing database is reported by the requests themselves.
      LOG.log(Level.WARNING, "Access-log retention purge failed: " + e);
    }
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
