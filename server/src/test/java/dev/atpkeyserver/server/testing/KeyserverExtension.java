package dev.atpkeyserver.server.testing;

import dev.atpkeyserver.server.Keyserver;
import dev.atpkeyserver.server.config.KeyserverConfig;
import dev.atpkeyserver.server.db.DatabaseSettings;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts a real keyserver on a free port for each {@link TestDatabase} a test class asks for, the
 * first time it asks, and stops it after the class. Register it as a static field:
 *
 * <pre>{@code
 * @RegisterExtension static final KeyserverExtension servers = new KeyserverExtension();
 *
 * @ParameterizedTest @EnumSource(TestDatabase.class)
 * void answers(TestDatabase db) { TestServer server = servers.on(db); ... }
 * }</pre>
 */
public final class KeyserverExtension implements AfterAllCallback {

  private final Map<String, String> configOverrides;
  private final Clock clock;
  private final List<AutoCloseable> closedAfterwards;
  private final Map<TestDatabase, TestServer> running = new EnumMap<>(TestDatabase.class);
  private final Map<TestDatabase, TestDatabase.Fresh> databases = new EnumMap<>(TestDatabase.class);
  private final List<TestServer> moreInstances = new ArrayList<>();
  private Path dataDir;

  /** A keyserver on default test settings. */
  public KeyserverExtension() {
    this(Map.of());
  }

  /**
   * A keyserver with extra configuration keys (e.g. {@code keyserver.plc-url}), and fixtures (such
   * as the {@link DidDirectory} it resolves through) to close after the test class.
   */
  public KeyserverExtension(
      Map<String, String> configOverrides, AutoCloseable... closedAfterwards) {
    this(configOverrides, Clock.systemUTC(), closedAfterwards);
  }

  /** Like {@link #KeyserverExtension(Map, AutoCloseable...)}, with the servers' clock. */
  public KeyserverExtension(
      Map<String, String> configOverrides, Clock clock, AutoCloseable... closedAfterwards) {
    this.configOverrides = Map.copyOf(configOverrides);
    this.clock = clock;
    this.closedAfterwards = List.of(closedAfterwards);
  }

  /** The server backed by {@code db}, started on first use. */
  public synchronized TestServer on(TestDatabase db) {
    TestServer server = running.get(db);
    if (server == null) {
      TestDatabase.Fresh fresh = db.create();
      databases.put(db, fresh);
      server = startOn(fresh.settings());
      running.put(db, server);
    }
    return server;
  }

  /**
   * One more keyserver on the database (and master key) of {@link #on}: a second instance of a
   * scaled-out deployment. Stopped after the class.
   */
  public synchronized TestServer another(TestDatabase db) {
    on(db);
    TestServer server = startOn(databases.get(db).settings());
    moreInstances.add(server);
    return server;
  }

  /**
   * A server on a database the test manages itself (such as a {@link PrivatePostgres}), with this
   * extension's settings; the caller closes it, before the database.
   */
  public TestServer startOn(DatabaseSettings database) {
    Config config = config(database);
    return new TestServer(
        Keyserver.start(KeyserverConfig.from(config), config.get("server"), clock));
  }

  private synchronized Config config(DatabaseSettings database) {
    Map<String, String> values = new HashMap<>();
    values.put("server.port", "0");
    values.put("server.host", "127.0.0.1");
    values.put("server.max-payload-size", "65536");
    values.put("keyserver.data-dir", dataDir().toString());
    values.put("keyserver.db.url", database.url());
    database.username().ifPresent(user -> values.put("keyserver.db.username", user));
    // Tests send many requests from 127.0.0.1; the rate-limit tests turn limits back on.
    values.put("keyserver.rate-limit.enabled", "false");
    values.putAll(configOverrides);
    return Config.just(ConfigSources.create(values));
  }

  private Path dataDir() {
    if (dataDir == null) {
      try {
        dataDir = Files.createTempDirectory("keyserver-test");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return dataDir;
  }

  @Override
  public synchronized void afterAll(ExtensionContext context) throws Exception {
    moreInstances.forEach(TestServer::close);
    moreInstances.clear();
    running.values().forEach(TestServer::close);
    running.clear();
    databases.values().forEach(TestDatabase.Fresh::drop);
    databases.clear();
    for (AutoCloseable fixture : closedAfterwards) {
      fixture.close();
    }
    if (dataDir != null) {
      try (Stream<Path> files = Files.walk(dataDir)) {
        files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      }
      dataDir = null;
    }
  }
}
