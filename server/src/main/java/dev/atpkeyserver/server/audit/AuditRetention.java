package dev.atpkeyserver.server.audit;

import dev.atpkeyserver.server.db.Database;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Deletes audit events older than the retention period ({@code keyserver.audit-log.retention}, 90
 * days by default), on a background thread, in small batches, as {@code AccessLogRetention} purges
 * the access log: each batch is its own short statement, so the purge never holds locks that
 * requests wait for.
 */
public final class AuditRetention implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(AuditRetention.class.getName());
  static final int BATCH = 5_000;

  private final Database database;
  private final AuditRepository logs;
  private final Duration retention;
  private final Clock clock;
  private final ScheduledExecutorService scheduler;

  /**
   * Starts purging every {@code interval}, the first time after a minute (start-up stays quick).
   *
   * @param retention how long events are kept
   */
  public AuditRetention(
      Database database, AuditRepository logs, Duration retention, Duration interval, Clock clock) {
    this.database = database;
    this.logs = logs;
    this.retention = retention;
    this.clock = clock;
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("audit-log-retention").daemon().factory());
    // The future is not needed: purgeLogged reports its own failures, and close() ends the runs.
    var unused =
        scheduler.scheduleWithFixedDelay(
            this::purgeLogged, 60_000, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Deletes every event older than the retention period.
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
        LOG.log(Level.INFO, "Audit-log retention: deleted {0} events", String.valueOf(deleted));
      }
    } catch (RuntimeException e) {
      // The next run tries again; a failing database is reported by the requests themselves.
      LOG.log(Level.WARNING, "Audit-log retention purge failed: " + e);
    }
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
