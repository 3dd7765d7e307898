package dev.atpkeyserver.server.audit;

import dev.atpkeyserver.server.db.Database;
import io.helidon.dbclient.DbExecute;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Writes audit events in batches from one background thread, so a key read costs a queue insertion
 * instead of its own INSERT and commit (one WAL flush per read on PostgreSQL).
 *
 * <p>Guarantees: an entry appended before {@link #flush()} or {@link #close()} returns is in the
 * database when it returns; {@link #close()} runs at graceful shutdown after the web server has
 * stopped, so no acknowledged entry is lost then. A crash loses what was still queued (at most a
 * few milliseconds' worth in steady state). When the queue is full, or the database is failing, the
 * reader writes its own entry synchronously: entries are never dropped, and a read whose entry
 * cannot be written fails.
 */
public final class AuditLog implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(AuditLog.class.getName());
  private static final int MAX_BATCH = 500;

  private final Database database;
  private final AuditRepository repository;
  private final BlockingQueue<AuditEvent> queue;
  private final Thread worker;
  private final Object progress = new Object();
  private long appended;
  private long written;
  private volatile boolean closing;

  public AuditLog(Database database, AuditRepository repository, int capacity) {
    this.database = database;
    this.repository = repository;
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.worker = Thread.ofPlatform().name("audit-log-writer").daemon().start(this::run);
  }

  /** Writes the event of a change in the change's transaction. */
  public void recordIn(DbExecute tx, AuditEvent event) {
    repository.insertBatch(tx, List.of(event));
  }

  /** Records one read; returns once the event is queued (or, under pressure, written). */
  public void record(AuditEvent entry) {
    synchronized (progress) {
      if (!closing && queue.offer(entry)) {
        appended++;
        return;
      }
    }
    // Full queue or shutting down: write it ourselves, now.
    repository.insertBatch(database.execute(), List.of(entry));
  }

  /** Waits until every entry appended before this call is in the database. */
  public void flush() {
    synchronized (progress) {
      long target = appended;
      while (written < target && worker.isAlive()) {
        try {
          progress.wait(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  private void run() {
    List<AuditEvent> batch = new ArrayList<>(MAX_BATCH);
    while (!(closing && queue.isEmpty())) {
      try {
        AuditEvent first = queue.poll(50, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, MAX_BATCH - 1);
        writeWithRetry(batch);
        synchronized (progress) {
          written += batch.size();
          progress.notifyAll();
        }
        batch.clear();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void writeWithRetry(List<AuditEvent> batch) throws InterruptedException {
    for (int attempt = 1; ; attempt++) {
      try {
        // One transaction per batch: one commit (one WAL flush on PostgreSQL) for up to
        // MAX_BATCH entries, and a batch is written whole or not at all, so a retry never
        // duplicates entries.
        database.inTransaction(
            tx -> {
              repository.insertBatch(tx, batch);
              return null;
            });
        return;
      } catch (RuntimeException e) {
        if (closing && attempt >= 3) {
          LOG.log(Level.ERROR, "Lost " + batch.size() + " audit events at shutdown", e);
          return;
        }
        LOG.log(Level.WARNING, "Writing audit events failed; retrying: " + e);
        Thread.sleep(Math.min(2_000, 100L * attempt));
      }
    }
  }

  /** Writes everything queued, then stops the background thread. */
  @Override
  public void close() {
    synchronized (progress) {
      closing = true;
    }
    try {
      worker.join(30_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
