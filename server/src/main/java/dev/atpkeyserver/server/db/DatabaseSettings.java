package dev.atpkeyserver.server.db;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;

/**
 * Where the keyserver keeps its data: a JDBC URL and credentials, or the embedded H2 database in
 * the data directory when no URL is configured.
 *
 * @param url JDBC URL ({@code jdbc:postgresql:...} or {@code jdbc:h2:...})
 * @param username database user, if the URL does not carry one
 * @param password database password; never printed
 * @param poolSize maximum number of pooled connections, the server's database concurrency limit
 * @param lockTimeout how long a statement waits for a row lock before it fails (and the request
 *     answers 503), so one stuck transaction cannot pin the pool
 * @param connectionTimeout how long a request waits for a pooled connection before it answers 503:
 *     the bound on queueing for the pool under a burst, and what each request costs its client
 *     while the database is unreachable
 */
public record DatabaseSettings(
    String url,
    Optional<String> username,
    Optional<String> password,
    int poolSize,
    Duration lockTimeout,
    Duration connectionTimeout) {

  /** The default lock wait. */
  public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(5);

  /**
   * The default wait for a pooled connection. As long as the lock wait: requests for one user
   * serialise on a row lock while holding their connections, so a burst of them can keep others
   * queueing for the pool about as long as one lock wait.
   */
  public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(5);

  /** HikariCP silently replaces shorter connection timeouts with 30 s. */
  private static final Duration MIN_CONNECTION_TIMEOUT = Duration.ofMillis(250);

  /** Settings with the default lock and connection waits. */
  public DatabaseSettings(
      String url, Optional<String> username, Optional<String> password, int poolSize) {
    this(url, username, password, poolSize, DEFAULT_LOCK_TIMEOUT);
  }

  /** Settings with the default connection wait. */
  public DatabaseSettings(
      String url,
      Optional<String> username,
      Optional<String> password,
      int poolSize,
      Duration lockTimeout) {
    this(url, username, password, poolSize, lockTimeout, DEFAULT_CONNECTION_TIMEOUT);
  }

  /**
   * H2 in PostgreSQL mode so the same migrations and SQL run on both databases; lower-case names
   * and NULLs sorting last match PostgreSQL's behaviour.
   */
  private static final String H2_OPTIONS =
      ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";

  public DatabaseSettings {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(lockTimeout, "lockTimeout");
    Objects.requireNonNull(connectionTimeout, "connectionTimeout");
    if (poolSize < 1) {
      throw new IllegalArgumentException("keyserver.db.pool-size must be at least 1");
    }
    if (connectionTimeout.compareTo(MIN_CONNECTION_TIMEOUT) < 0) {
      throw new IllegalArgumentException(
          "keyserver.db.connection-timeout must be at least 250 ms, not " + connectionTimeout);
    }
  }

  /**
   * The zero-setup default: a file-backed H2 database inside {@code dataDir}.
   *
   * @param lockTimeout how long a statement waits for a row lock
   * @param connectionTimeout how long a request waits for a pooled connection
   */
  public static DatabaseSettings embedded(
      Path dataDir, int poolSize, Duration lockTimeout, Duration connectionTimeout) {
    String file = dataDir.toAbsolutePath().normalize().resolve("keyserver").toString();
    return new DatabaseSettings(
        "jdbc:h2:file:" + file + H2_OPTIONS,
        Optional.empty(),
        Optional.empty(),
        poolSize,
        lockTimeout,
        connectionTimeout);
  }

  /** An in-memory H2 database that lives as long as the JVM (tests). */
  public static DatabaseSettings inMemory(String name, int poolSize) {
    return new DatabaseSettings(
        "jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1" + H2_OPTIONS,
        Optional.empty(),
        Optional.empty(),
        poolSize);
  }

  /**
   * A plain JDBC connection outside the pool, with these credentials and any driver properties in
   * {@code extra} (the start-up schema check, the cache invalidation listener).
   */
  public Connection connect(Properties extra) throws SQLException {
    Properties properties = new Properties();
    properties.putAll(extra);
    username.ifPresent(user -> properties.setProperty("user", user));
    password.ifPresent(secret -> properties.setProperty("password", secret));
    return DriverManager.getConnection(url, properties);
  }

  /** Whether this is the embedded H2 database rather than an external server. */
  public boolean isH2() {
    return url.startsWith("jdbc:h2:");
  }

  /** The URL without credentials or options, safe for logs. */
  public String describe() {
    int options = url.indexOf(isH2() ? ';' : '?');
    return options < 0 ? url : url.substring(0, options);
  }

  /**
   * Whether this is an H2 database only this process can open: an embedded file or in-memory
   * database, not one reached over TCP or shared through {@code AUTO_SERVER}.
   */
  public boolean isSingleProcessH2() {
    String upper = url.toUpperCase(Locale.ROOT);
    return (url.startsWith("jdbc:h2:file:") || url.startsWith("jdbc:h2:mem:"))
        && !upper.contains("AUTO_SERVER=TRUE");
  }

  /** Whether this is an H2 database in files of its own (the embedded default). */
  public boolean isEmbeddedFile() {
    return url.startsWith("jdbc:h2:file:");
  }

  /** Whether this is PostgreSQL. */
  public boolean isPostgres() {
    return url.startsWith("jdbc:postgresql:");
  }

  @Override
  public String toString() {
    return "DatabaseSettings[url=" + describe() + ", poolSize=" + poolSize + "]";
  }
}
