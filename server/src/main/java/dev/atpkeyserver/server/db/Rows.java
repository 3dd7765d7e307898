package dev.atpkeyserver.server.db;

import io.helidon.dbclient.DbRow;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Optional;

/**
 * Column reading and parameter conversions that differ between the JDBC drivers: PostgreSQL hands
 * back {@code TIMESTAMP WITH TIME ZONE} as {@link Timestamp}, H2 as {@link OffsetDateTime}, and
 * neither accepts an {@link Instant} parameter.
 */
public final class Rows {

  private Rows() {}

  /** An instant as a statement parameter both drivers accept. */
  public static OffsetDateTime param(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }

  /** A non-null timestamp column. */
  public static Instant instant(DbRow row, String column) {
    return optionalInstant(row, column)
        .orElseThrow(() -> new IllegalStateException("NULL in " + column));
  }

  /** A nullable timestamp column. */
  public static Optional<Instant> optionalInstant(DbRow row, String column) {
    Object value = raw(row, column);
    return switch (value) {
      case null -> Optional.empty();
      case Instant instant -> Optional.of(instant);
      case OffsetDateTime offset -> Optional.of(offset.toInstant());
      case ZonedDateTime zoned -> Optional.of(zoned.toInstant());
      case Timestamp timestamp -> Optional.of(timestamp.toInstant());
      default ->
          throw new IllegalStateException(
              "Unexpected type " + value.getClass().getName() + " in " + column);
    };
  }

  /** A nullable string column. */
  public static Optional<String> optionalString(DbRow row, String column) {
    return Optional.ofNullable((String) raw(row, column));
  }

  /** A non-null integer column. */
  public static int integer(DbRow row, String column) {
    return ((Number) raw(row, column)).intValue();
  }

  /** A non-null BIGINT (or any integer) column. */
  public static long longValue(DbRow row, String column) {
    return ((Number) raw(row, column)).longValue();
  }

  /** A nullable boolean column read as "is it TRUE". */
  public static boolean isTrue(DbRow row, String column) {
    return Boolean.TRUE.equals(raw(row, column));
  }

  /**
   * The column's value as the driver returned it, null for SQL NULL. (In Helidon 4.1.7 {@code
   * DbColumn.get()} and {@code asOptional()} throw on NULL; {@code get(Class)} does not.)
   */
  private static Object raw(DbRow row, String column) {
    return row.column(column).get(Object.class);
  }
}
