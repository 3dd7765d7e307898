package dev.atpkeyserver.server.observe;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.ErrorManager;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.LogRecord;

/**
 * A JUL handler for the request log that never blocks a request: {@link #publish} formats the line
 * and puts it on a lock-free queue; one daemon thread writes the queued lines to standard output in
 * batches. JUL's own console handlers take one lock per line for every request thread, and format
 * with {@code String.format}.
 *
 * <p>At most {@value #MAX_QUEUED} lines wait; past that, lines are dropped and counted rather than
 * slowing requests down (the metrics still count every request). {@code logging.properties} routes
 * the {@value RequestLog#LOGGER} logger here.
 */
public final class RequestLogHandler extends Handler {

  static final int MAX_QUEUED = 65_536;

  private final ConcurrentLinkedQueue<String> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queued = new AtomicInteger();
  private final LongAdder dropped = new LongAdder();
  private final PrintStream out;
  private final Thread writer;
  private volatile boolean closed;

  /**
   * A handler writing to standard output, as JUL instantiates it from {@code logging.properties}.
   */
  public RequestLogHandler() {
    this(System.out);
  }

  RequestLogHandler(PrintStream out) {
    this.out = out;
    setFormatter(new RequestLogFormatter());
    this.writer = Thread.ofPlatform().daemon().name("keyserver-request-log").start(this::drain);
  }

  @Override
  public void publish(LogRecord record) {
    if (closed || !isLoggable(record)) {
      return;
    }
    if (queued.incrementAndGet() > MAX_QUEUED) {
      queued.decrementAndGet();
      dropped.increment();
      return;
    }
    String line;
    try {
      line = getFormatter().format(record);
    } catch (RuntimeException e) {
      queued.decrementAndGet();
      reportError("Could not format a request log line", e, ErrorManager.FORMAT_FAILURE);
      return;
    }
    queue.offer(line);
  }

  /** Lines dropped because the writer fell behind. */
  long dropped() {
    return dropped.sum();
  }

  private void drain() {
    StringBuilder batch = new StringBuilder(16_384);
    while (!closed || !queue.isEmpty()) {
      String line = queue.poll();
      if (line == null) {
        writeOut(batch);
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        continue;
      }
      queued.decrementAndGet();
      batch.append(line);
      if (batch.length() >= 16_384) {
        writeOut(batch);
      }
    }
    writeOut(batch);
  }

  private void writeOut(StringBuilder batch) {
    if (batch.isEmpty()) {
      return;
    }
    long lost = dropped.sumThenReset();
    if (lost > 0) {
      batch.append("request log: ").append(lost).append(" lines dropped, writer behind\n");
    }
    // One write per batch keeps lines whole next to other handlers writing to the same stream.
    byte[] bytes = batch.toString().getBytes(StandardCharsets.UTF_8);
    out.write(bytes, 0, bytes.length);
    out.flush();
    batch.setLength(0);
  }

  @Override
  public void flush() {
    // The writer flushes after every batch.
  }

  /** Writes what is queued, then stops the writer. */
  @Override
  public void close() {
    closed = true;
    LockSupport.unpark(writer);
    try {
      writer.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * {@code <ISO-8601 instant, UTC, microseconds> <message>}: no String.format, no caller lookup, no
   * DateTimeFormatter (Instant.toString took a tenth of the request log's cost).
   */
  static final class RequestLogFormatter extends Formatter {
    @Override
    public String format(LogRecord record) {
      String message = record.getMessage();
      StringBuilder line = new StringBuilder(32 + message.length());
      appendInstant(line, record.getInstant());
      return line.append(' ').append(message).append('\n').toString();
    }
  }

  /** {@code 2025-01-24T10:30:00.123456Z}: always six fraction digits, years 0 to 9999. */
  static void appendInstant(StringBuilder out, Instant instant) {
    long seconds = instant.getEpochSecond();
    long days = Math.floorDiv(seconds, 86_400);
    int secondOfDay = Math.floorMod(seconds, 86_400);
    LocalDate date = LocalDate.ofEpochDay(days);
    pad(out, date.getYear(), 4).append('-');
    pad(out, date.getMonthValue(), 2).append('-');
    pad(out, date.getDayOfMonth(), 2).append('T');
    pad(out, secondOfDay / 3_600, 2).append(':');
    pad(out, secondOfDay / 60 % 60, 2).append(':');
    pad(out, secondOfDay % 60, 2).append('.');
    pad(out, instant.getNano() / 1_000, 6).append('Z');
  }

  private static StringBuilder pad(StringBuilder out, int value, int width) {
    for (int limit = 10, digits = 1; digits < width; limit *= 10, digits++) {
      if (value < limit) {
        out.append('0');
      }
    }
    return out.append(value);
  }
}
