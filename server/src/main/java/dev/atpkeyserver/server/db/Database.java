package dev.atpkeyserver.server.db;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbClientException;
import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbTransaction;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The keyserver's database: a pooled Helidon {@link DbClient} over JDBC, with the schema migrated
 * before the first connection is handed out.
 *
 * <p>Requests run on virtual threads, so blocking JDBC calls in handlers are fine; the pool size is
 * the database concurrency limit.
 */
public final class Database implements AutoCloseable {

  /** No keyserver statement comes near this; the retention purge deletes in small batches. */
  private static final Duration STATEMENT_TIMEOUT = Duration.ofSeconds(30);

  /** Numbers the pools of one JVM; HikariCP's JMX names must be unique (tests run many). */
  private static final AtomicInteger POOLS = new AtomicInteger();

  private final DbClient client;
  private final DatabaseSettings settings;
  private final PoolUsage.Source pool;

  private Database(DbClient client, DatabaseSettings settings, String poolName) {
    this.client = client;
    this.settings = settings;
    this.pool = PoolUsage.source(poolName);
  }

  /** Applies pending migrations, then opens the connection pool. */
  public static Database open(DatabaseSettings settings) {
    // One connection held from the schema check until the pool has its own: an embedded H2
    // database closes with its last connection, and opening it twice would cost a second start.
    Optional<Connection> held = connect(settings);
    try {
      if (held.isEmpty() || !Migrations.isCurrent(held.get())) {
        Migrations.apply(settings);
      }
      int number = POOLS.incrementAndGet();
      String poolName = number == 1 ? "keyserver" : "keyserver-" + number;
      return new Database(DbClient.create(clientConfig(settings, poolName)), settings, poolName);
    } finally {
      held.ifPresent(Database::closeQuietly);
    }
  }

  /** A plain connection, or empty when there is none: Flyway then reports why. */
  private static Optional<Connection> connect(DatabaseSettings settings) {
    try {
      return Optional.of(settings.connect(new Properties()));
    } catch (SQLException e) {
      return Optional.empty();
    }
  }

  private static void closeQuietly(Connection connection) {
    try {
      connection.close();
    } catch (SQLException ignored) {
      // Only held to keep the database open; the pool has its own connections by now.
    }
  }

  private static Config clientConfig(DatabaseSettings settings, String poolName) {
    Map<String, String> values = new HashMap<>();
    values.put("source", "jdbc");
    values.put("connection.url", settings.url());
    settings.username().ifPresent(user -> values.put("connection.username", user));
    settings.password().ifPresent(password -> values.put("connection.password", password));
    // Anything else under "connection" is handed to HikariCP as a property.
    values.put("connection.maximumPoolSize", Integer.toString(settings.poolSize()));
    values.put("connection.poolName", poolName);
    // HikariCP's MXBean is the one view of its pool that Helidon's DbClient leaves reachable.
    values.put("connection.registerMbeans", "true");
    // Fail a request quickly rather than queue it for Hikari's default 30 s; while the database is
    // down, this is what every request waits before its 503.
    values.put(
        "connection.connectionTimeout", Long.toString(settings.connectionTimeout().toMillis()));
    sessionSettings(settings).ifPresent(sql -> values.put("connection.connectionInitSql", sql));
    return Config.just(ConfigSources.create(values));
  }

  /**
   * Bounds on every pooled connection: a lock wait, and on PostgreSQL a statement's run time, so a
   * stuck transaction or runaway query fails its own request instead of pinning the pool.
   */
  static Optional<String> sessionSettings(DatabaseSettings settings) {
    long lockMillis = settings.lockTimeout().toMillis();
    if (settings.isPostgres()) {
      return Optional.of(
          "SET lock_timeout = '"
              + lockMillis
              + "ms'; SET statement_timeout = '"
              + STATEMENT_TIMEOUT.toMillis()
              + "ms'");
    }
    if (settings.isH2()) {
      return Optional.of("SET LOCK_TIMEOUT " + lockMillis);
    }
    return Optional.empty();
  }

  /** Statements outside a transaction, each in auto-commit mode. */
  public DbExecute execute() {
    return client.execute();
  }

  /**
   * Runs {@code work} in one transaction: committed when it returns, rolled back when it throws.
   * Nothing is ever half-written.
   */
  public <T> T inTransaction(Function<DbTransaction, T> work) {
    DbTransaction tx = client.transaction();
    T result;
    try {
      result = work.apply(tx);
    } catch (RuntimeException | Error e) {
      rollbackQuietly(tx, e);
      throw e;
    }
    tx.commit();
    return result;
  }

  /** Work on a plain JDBC connection: {@link #inJdbcTransaction}. */
  @FunctionalInterface
  public interface JdbcWork<T> {
    /**
     * Does the work.
     *
     * @param connection a pooled connection in a transaction; not to be closed or committed here
     */
    T run(Connection connection) throws SQLException, IOException;
  }

  /**
   * Runs {@code work} in one transaction on a pooled JDBC connection, for what Helidon's DbClient
   * cannot express (PostgreSQL's COPY): committed when it returns, rolled back when it throws.
   *
   * @throws DbClientException wrapping any failure of the work or the commit
   */
  public <T> T inJdbcTransaction(JdbcWork<T> work) {
    try (Connection connection = client.unwrap(Connection.class)) {
      connection.setAutoCommit(false);
      T result;
      try {
        result = work.run(connection);
        connection.commit();
      } catch (SQLException | IOException | RuntimeException | Error e) {
        try {
          connection.rollback();
        } catch (SQLException rollbackFailure) {
          e.addSuppressed(rollbackFailure);
        }
        throw e;
      }
      return result;
    } catch (SQLException | IOException e) {
      throw new DbClientException("JDBC transaction failed: " + e.getMessage(), e);
    }
  }

  private static void rollbackQuietly(DbTransaction tx, Throwable original) {
    try {
      tx.rollback();
    } catch (RuntimeException rollbackFailure) {
      // A failing rollback must not hide why the transaction failed.
      original.addSuppressed(rollbackFailure);
    }
  }

  /** How many pooled connections are in use, idle and awaited right now; for metrics. */
  public PoolUsage poolUsage() {
    return pool.read();
  }

  /** The settings this database was opened with. */
  public DatabaseSettings settings() {
    return settings;
  }

  @Override
  public void close() {
    client.close();
  }
}
