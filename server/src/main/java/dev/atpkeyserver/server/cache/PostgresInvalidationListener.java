package dev.atpkeyserver.server.cache;

import dev.atpkeyserver.server.db.DatabaseSettings;
import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Hears other instances' writes: holds one connection of its own that {@code LISTEN}s on {@link
 * Invalidations#CHANNEL} and drops each announced scope from this instance's caches.
 *
 * <p>The caches serve only while this feed is known to be live. They start disabled and are enabled
 * (empty) once {@code LISTEN} is in place; when the connection fails, or a periodic round trip does
 * not come back in time (a silently dead connection delivers nothing), they are disabled at once
 * and every read goes to the database until the listener has reconnected. A notification missed
 * while the feed was down is therefore harmless: nothing cached before it survives.
 */
public final class PostgresInvalidationListener implements AutoCloseable {

  private static final System.Logger LOG =
      System.getLogger(PostgresInvalidationListener.class.getName());

  /** How long one wait for notifications lasts; also the heartbeat period. */
  static final Duration POLL = Duration.ofMillis(500);

  /** A round trip slower than this counts as a dead connection. */
  static final Duration NETWORK_TIMEOUT = Duration.ofSeconds(2);

  private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

  private final DatabaseSettings settings;
  private final KeyCaches caches;
  private final Thread thread;
  private volatile boolean closed;

  private PostgresInvalidationListener(DatabaseSettings settings, KeyCaches caches) {
    this.settings = settings;
    this.caches = caches;
    this.thread =
        Thread.ofPlatform().name("cache-invalidation-listener").daemon().unstarted(this::run);
  }

  /** Starts listening in the background; the caches serve once the first {@code LISTEN} is in. */
  public static PostgresInvalidationListener start(DatabaseSettings settings, KeyCaches caches) {
    caches.disable();
    PostgresInvalidationListener listener = new PostgresInvalidationListener(settings, caches);
    listener.thread.start();
    return listener;
  }

  private void run() {
    Duration backoff = POLL;
    while (!closed) {
      try (Connection listening = connect()) {
        try (Statement statement = listening.createStatement()) {
          statement.execute("LISTEN " + Invalidations.CHANNEL);
        }
        caches.enable();
        LOG.log(Level.DEBUG, "Listening for cache invalidations");
        backoff = POLL;
        listen(listening.unwrap(PGConnection.class), listening);
      } catch (SQLException | RuntimeException e) {
        if (closed) {
          return;
        }
        LOG.log(
            Level.WARNING,
            "Cache invalidation feed lost; serving every read from the database until it is back: "
                + e.getMessage());
      } finally {
        caches.disable();
      }
      sleep(backoff);
      backoff =
          backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0
              ? MAX_BACKOFF
              : backoff.multipliedBy(2);
    }
  }

  /** Applies notifications until the connection fails or the listener is closed. */
  private void listen(PGConnection pg, Connection listening) throws SQLException {
    while (!closed) {
      // @NOTE getNotifications(timeout) waits on the socket; the SELECT afterwards is the
      // heartbeat that turns a silently dead connection into an exception (network timeout).
      PGNotification[] notifications = pg.getNotifications((int) POLL.toMillis());
      if (notifications != null) {
        for (PGNotification notification : notifications) {
          CacheScope.fromWire(notification.getParameter())
              .ifPresentOrElse(caches::invalidate, () -> caches.invalidate(CacheScope.all()));
        }
      }
      try (Statement heartbeat = listening.createStatement()) {
        heartbeat.execute("SELECT 1");
      }
    }
  }

  private Connection connect() throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("connectTimeout", Long.toString(NETWORK_TIMEOUT.toSeconds()));
    properties.setProperty("ApplicationName", "atp-keyserver cache listener");
    Connection opened = settings.connect(properties);
    try {
      // PgJDBC applies this as the socket timeout; it never uses the executor.
      opened.setNetworkTimeout(Runnable::run, (int) NETWORK_TIMEOUT.toMillis());
      opened.setAutoCommit(true);
      return opened;
    } catch (SQLException | RuntimeException e) {
      opened.close();
      throw e;
    }
  }

  private void sleep(Duration duration) {
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closed = true;
    }
  }

  /** Stops listening (within one poll period); the caches stay disabled. */
  @Override
  public void close() {
    closed = true;
    try {
      thread.join(POLL.plus(NETWORK_TIMEOUT).multipliedBy(2));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
