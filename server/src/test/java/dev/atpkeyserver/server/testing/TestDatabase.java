package dev.atpkeyserver.server.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.atpkeyserver.server.db.DatabaseSettings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.UUID;

/**
 * The databases every storage test runs against: the embedded H2 default and a real PostgreSQL.
 *
 * <p>PostgreSQL is reached at {@code keyserver.test.pg-url} (default {@code
 * jdbc:postgresql://127.0.0.1:5432/test}, user {@code postgres}). Each test fixture gets a schema
 * of its own, dropped afterwards. Where PostgreSQL is not running its tests are skipped, unless
 * {@code KEYSERVER_TEST_POSTGRES=required} (set by CI), which turns a missing PostgreSQL into a
 * failure.
 */
public enum TestDatabase {
  H2,
  POSTGRES;

  private static final String PG_URL =
      System.getProperty("keyserver.test.pg-url", "jdbc:postgresql://127.0.0.1:5432/test");
  private static final String PG_USER = System.getProperty("keyserver.test.pg-user", "postgres");

  /** A fresh, empty database of this kind. */
  public Fresh create() {
    String name = "ks_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    return switch (this) {
      case H2 -> new Fresh(DatabaseSettings.inMemory(name, 8), Optional.empty());
      case POSTGRES -> {
        requirePostgres();
        execute("CREATE SCHEMA " + name);
        yield new Fresh(
            new DatabaseSettings(
                PG_URL + "?currentSchema=" + name, Optional.of(PG_USER), Optional.empty(), 8),
            Optional.of(name));
      }
    };
  }

  /**
   * A newly created database.
   *
   * @param settings how to connect to it
   * @param schema the PostgreSQL schema to drop afterwards
   */
  public record Fresh(DatabaseSettings settings, Optional<String> schema) {
    /** Drops what {@link #create} made. */
    public void drop() {
      schema.ifPresent(s -> execute("DROP SCHEMA " + s + " CASCADE"));
    }
  }

  private static void requirePostgres() {
    boolean required = "required".equals(System.getenv("KEYSERVER_TEST_POSTGRES"));
    try {
      DriverManager.getConnection(PG_URL, PG_USER, null).close();
      return;
    } catch (SQLException e) {
      if (required) {
        fail(
            "PostgreSQL is required (KEYSERVER_TEST_POSTGRES=required) but unreachable at "
                + PG_URL,
            e);
      }
      assumeTrue(false, "PostgreSQL not reachable at " + PG_URL + "; skipping its tests");
    }
  }

  private static void execute(String sql) {
    try (Connection connection = DriverManager.getConnection(PG_URL, PG_USER, null);
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("PostgreSQL statement failed: " + sql, e);
    }
  }
}
