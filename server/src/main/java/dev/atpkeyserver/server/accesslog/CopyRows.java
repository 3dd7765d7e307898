package dev.atpkeyserver.server.accesslog;

import dev.atpkeyserver.did.Did;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

/**
 * Access-log entries as the rows of a PostgreSQL {@code COPY ... FROM STDIN} in text format: one
 * line per entry, the columns of {@link AccessLogRepository}'s COPY in order, separated by tabs,
 * {@code \N} for NULL. In a value, backslash, tab, newline and carriage return are escaped, so no
 * value (a User-Agent is whatever the client sent) can end a column or a row early.
 */
final class CopyRows {

  /** Typical row length: two DIDs and a timestamp. */
  private static final int ROW_CHARS = 160;

  private CopyRows() {}

  /** The rows as UTF-8, the connection's client encoding. */
  static byte[] encode(List<AccessLogEntry> entries) {
    StringBuilder out = new StringBuilder(entries.size() * ROW_CHARS);
    for (AccessLogEntry entry : entries) {
      text(out, entry.ownerDid());
      out.append('\t');
      text(out, entry.keyType().wireName());
      out.append('\t');
      optional(out, entry.groupId());
      out.append('\t');
      optional(out, entry.deviceId());
      out.append('\t');
      optional(out, entry.accessor().did().map(Did::toString));
      out.append('\t').append(entry.version()).append('\t');
      timestamp(out, entry.accessedAt());
      out.append('\t');
      optional(out, entry.accessor().ip());
      out.append('\t');
      optional(out, entry.accessor().userAgent());
      out.append('\n');
    }
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void optional(StringBuilder out, Optional<String> value) {
    if (value.isPresent()) {
      text(out, value.get());
    } else {
      out.append("\\N");
    }
  }

  private static void text(StringBuilder out, String value) {
    int start = 0;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      String escape =
          switch (c) {
            case '\\' -> "\\\\";
            case '\t' -> "\\t";
            case '\n' -> "\\n";
            case '\r' -> "\\r";
            default -> null;
          };
      if (escape != null) {
        out.append(value, start, i).append(escape);
        start = i + 1;
      }
    }
    out.append(value, start, value.length());
  }

  /**
   * {@code 2025-01-24 10:30:00.123+00}: ISO 8601 in UTC, as PostgreSQL reads it in any time zone.
   */
  private static void timestamp(StringBuilder out, Instant instant) {
    LocalDateTime t = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), 0, ZoneOffset.UTC);
    pad(out, t.getYear(), 4).append('-');
    pad(out, t.getMonthValue(), 2).append('-');
    pad(out, t.getDayOfMonth(), 2).append(' ');
    pad(out, t.getHour(), 2).append(':');
    pad(out, t.getMinute(), 2).append(':');
    pad(out, t.getSecond(), 2).append('.');
    // Microseconds: the column's precision; entries carry milliseconds.
    pad(out, instant.getNano() / 1_000, 6).append("+00");
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
