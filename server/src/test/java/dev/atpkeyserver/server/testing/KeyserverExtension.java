package dev.atpkeyserver.server.testing;

import dev.atpkeyserver.did.KeyCurve;
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
 * The one fixture of tests that run a keyserver: it owns a {@link DidDirectory} (a PLC directory
 * over real HTTP) and starts a real keyserver on a free port for each {@link TestDatabase} a test
 * class asks for, the first time it asks, resolving DIDs through that directory with the service
 * DID {@value #SERVICE_DID} (unless the test sets {@code keyserver.public-url}, from which the
 * server derives its DID). Everything is stopped, dropped and deleted after the class. Register it
 * as a static field:
 *
 * <pre>{@code
 * @RegisterExtension static final KeyserverExtension keyserver = new KeyserverExtension();
 *
 * @EachDatabase
 * void rotates(TestDatabase db) {
 *   KeyserverClient alice = keyserver.on(db).as(keyserver.newUser());
 *   Rotate.Output rotation = alice.keypairRotate(Inputs.rotation());
 * }
 * }</pre>
 *
 * <p>The directory starts on first use, and not at all when the configuration names another PLC
 * directory ({@code keyserver.plc-url}).
 */
public final class KeyserverExtension implements AfterAllCallback {

  /** The service DID test servers are configured with: the audience of test tokens. */
  public static final String SERVICE_DID = "did:web:keyserver.test";

  private final Map<String, String> configOverrides;
  private final Clock clock;
  private final List<AutoCloseable> closedAfterwards;
  private final Map<TestDatabase, TestServer> running = new EnumMap<>(TestDatabase.class);
  private final Map<TestDatabase, TestDatabase.Fresh> databases = new EnumMap<>(TestDatabase.class);
  private final List<TestServer> moreInstances = new ArrayList<>();
  private DidDirectory directory;
  private Path dataDir;

  /** Keyservers on default test settings. */
  public KeyserverExtension() {
    this(Map.of());
  }

  /**
   * Keyservers with extra configuration keys (such as {@code keyserver.db.lock-timeout}), which win
   * over the test defaults, and fixtures to close after the test class (such as a DID host of the
   * test's own that {@code keyserver.plc-url} points at).
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

  /** The PLC directory the servers resolve DIDs through, started on first use. */
  public synchronized DidDirectory directory() {
    if (directory == null) {
      directory = new DidDirectory();
    }
    return directory;
  }

  /** A new did:plc user with a secp256k1 key, published in {@link #directory()}. */
  public TestUser newUser() {
    return directory().publish(TestUser.plc());
  }

  /** A new did:plc user with a key on {@code curve}, published in {@link #directory()}. */
  public TestUser newUser(KeyCurve curve) {
    return directory().publish(TestUser.plc(curve));
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
    KeyserverConfig settings = KeyserverConfig.from(config);
    return new TestServer(
        Keyserver.start(settings, config.get("server"), clock), settings.serviceDid().toString());
  }

  private synchronized Config config(DatabaseSettings database) {
    Map<String, String> values = new HashMap<>();
    values.put("server.port", "0");
    values.put("server.host", "127.0.0.1");
    values.put("server.max-payload-size", "65536");
    values.put("keyserver.data-dir", dataDir().toString());
    values.put("keyserver.db.url", database.url());
    database.username().ifPresent(user -> values.put("keyserver.db.username", user));
    // A test that sets the public URL sees the service DID derived from it, as in production.
    if (!configOverrides.containsKey("keyserver.public-url")) {
      values.put("keyserver.service-did", SERVICE_DID);
    }
    if (!configOverrides.containsKey("keyserver.plc-url")) {
      values.put("keyserver.plc-url", directory().url());
    }
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
    if (directory != null) {
      directory.close();
      directory = null;
    }
    if (dataDir != null) {
      try (Stream<Path> files = Files.walk(dataDir)) {
        files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      }
      dataDir = null;
    }
  }
}
