package dev.atpkeyserver.server.accesslog;

import dev.atpkeyserver.server.db.Database;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Writes access-log entries in batches from one background thread, so a key read costs a queue
 * insertion instead of its own INSERT and commit (one WAL flush per read on PostgreSQL).
 *
 * <p>Guarantees: an entry appended before {@link #flush()} or {@link #close()} returns is in the
 * database when it returns; {@link #close()} runs at graceful shutdown after the web server has
 * stopped, so no acknowledged entry is lost then. A crash of this process loses what was still
 * queued (in steady state what arrived while the previous batch was written, a few milliseconds'
 * worth; never more than the queue holds). When the queue is full, or the writer is shutting down,
 * the reader writes its own entry synchronously: entries are never dropped, and a read whose entry
 * cannot be written fails. A batch is committed like any transaction, so a crash of PostgreSQL
 * loses nothing the writer has written.
 *
 * <p>Appending takes no lock: a lock-free queue, a counter bounding it, and a counter of appends in
 * progress, which {@link #close()} waits on so that no entry is queued after the writer's last
 * look. The writer is not woken per entry: it sleeps up to {@value #IDLE_MILLIS} ms when it finds
 * the queue empty; {@link #flush()} and {@link #close()} wake it.
 */
public final class AccessLogWriter implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(AccessLogWriter.class.getName());

  /**
   * Most entries in one batch (one transaction). Under load a batch holds what arrived while the
   * previous one was written; the bound keeps one transaction's size and a failed batch's retry
   * reasonable.
   */
  static final int MAX_BATCH = 5_000;

  /** How long the writer sleeps when it finds nothing to write. */
  static final long IDLE_MILLIS = 5;

  private final Database database;
  private final AccessLogRepository repository;
  private final int capacity;

  /** Entries and flush markers, in the order they were appended. */
  private final ConcurrentLinkedQueue<Object> queue = new ConcurrentLinkedQueue<>();

  /** Entries queued or being written: the queue's bound. */
  private final AtomicInteger pending = new AtomicInteger();

  /** Appends between their check of {@link #closing} and their entry being queued. */
  private final AtomicInteger appending = new AtomicInteger();

  private final Thread worker;
  private volatile boolean closing;

  /** Asks the writer to say when everything queued before it is written. */
  private static final class FlushMarker {
    private final CountDownLatch written = new CountDownLatch(1);
  }

  /**
   * @param capacity entries queued at most; past it, readers write their own entries
   */
  public AccessLogWriter(Database database, AccessLogRepository repository, int capacity) {
    this.database = database;
    this.repository = repository;
    this.capacity = capacity;
    this.worker = Thread.ofPlatform().name("access-log-writer").daemon().start(this::run);
  }

  /** Records one read; returns once the entry is queued (or, under pressure, written). */
  public void append(AccessLogEntry entry) {
    // @NOTE the increment comes before the read of closing, and close() sets closing before the
    // writer reads the counter for the last time (both volatile, so sequentially consistent):
    // either the writer sees this append in progress and waits for it, or this append sees
    // closing and writes its own entry.
    appending.incrementAndGet();
    try {
      if (!closing && reserve()) {
        queue.offer(entry);
        return;
      }
    } finally {
      appending.decrementAndGet();
    }
    // Full queue or shutting down: write it ourselves, now.
    repository.insertBatch(database.execute(), List.of(entry));
  }

  private boolean reserve() {
    if (pending.incrementAndGet() <= capacity) {
      return true;
    }
    pending.decrementAndGet();
    return false;
  }

  /** Waits until every entry appended before this call is in the database. */
  public void flush() {
    FlushMarker marker = new FlushMarker();
    queue.offer(marker);
    LockSupport.unpark(worker);
    try {
      while (!marker.written.await(100, TimeUnit.MILLISECONDS)) {
        if (!worker.isAlive()) {
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    List<AccessLogEntry> batch = new ArrayList<>();
    try {
      while (true) {
        FlushMarker marker = null;
        Object next;
        while (batch.size() < MAX_BATCH && (next = queue.poll()) != null) {
          if (next instanceof FlushMarker flush) {
            // Everything before it is in this batch: write, then answer.
            marker = flush;
            break;
          }
          batch.add((AccessLogEntry) next);
        }
        if (!batch.isEmpty()) {
          writeWithRetry(batch);
          pending.addAndGet(-batch.size());
          batch.clear();
        }
        if (marker != null) {
          marker.written.countDown();
        } else if (queue.isEmpty()) {
          if (closing && appending.get() == 0 && queue.isEmpty()) {
            return;
          }
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(IDLE_MILLIS));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void writeWithRetry(List<AccessLogEntry> batch) throws InterruptedException {
    for (int attempt = 1; ; attempt++) {
      try {
        // A batch is written whole or not at all (one transaction), so a retry never duplicates
        // entries.
        repository.writeBatch(database, batch);
        return;
      } catch (RuntimeException e) {
        if (closing && attempt >= 3) {
          LOG.log(Level.ERROR, "Lost " + batch.size() + " access-log entries at shutdown", e);
          return;
        }
        LOG.log(Level.WARNING, "Writing access-log entries failed; retrying: " + e);
        Thread.sleep(Math.min(2_000, 100L * attempt));
      }
    }
  }

  /** Writes everything queued, then stops the background thread. */
  @Override
  public void close() {
    closing = true;
    LockSupport.unpark(worker);
    try {
      worker.join(30_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
