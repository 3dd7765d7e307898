package dev.atpkeyserver.server;

import dev.atpkeyserver.lexicon.XrpcRoutes;
import dev.atpkeyserver.server.api.MetadataService;
import dev.atpkeyserver.server.api.WellKnownService;
import dev.atpkeyserver.server.config.KeyserverConfig;
import dev.atpkeyserver.server.db.Database;
import dev.atpkeyserver.server.http.ErrorHandling;
import dev.atpkeyserver.server.observe.Observability;
import dev.atpkeyserver.xrpc.XrpcAuthenticator;
import io.helidon.config.Config;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http1.Http1Config;
import java.time.Clock;

/**
 * A running keyserver: the web server and the components behind it. {@link #start} is the one place
 * the object graph is wired; {@link Main} and the tests both use it.
 */
public final class Keyserver implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(Keyserver.class.getName());

  /**
   * Longest request line (method, path, query, version) accepted; longer is a 414 read no further.
   * Fits a group_id of a maximum-length (2 KiB) DID with every character percent-encoded.
   */
  static final int MAX_REQUEST_LINE = 8192;

  /** Most header bytes accepted (Helidon's default, stated); more is a 431 read no further. */
  static final int MAX_HEADERS_SIZE = 16384;

  private final WebServer server;
  private final KeyserverComponents components;

  private Keyserver(WebServer server, KeyserverComponents components) {
    this.server = server;
    this.components = components;
  }

  /**
   * Opens the database (migrating it), builds the components and starts listening.
   *
   * @param config the checked settings
   * @param serverConfig Helidon's {@code server} node, for listener settings the keyserver does not
   *     declare itself ({@code sockets}, {@code features.observe})
   */
  public static Keyserver start(KeyserverConfig config, Config serverConfig) {
    return start(config, serverConfig, Clock.systemUTC());
  }

  /**
   * Like {@link #start(KeyserverConfig, Config)}, with the clock every component reads (tests move
   * it to cross rate-limit windows).
   *
   * @param config the checked settings
   * @param serverConfig Helidon's {@code server} node
   * @param clock the time source of every component
   */
  public static Keyserver start(KeyserverConfig config, Config serverConfig, Clock clock) {
    KeyserverComponents components = KeyserverComponents.create(config, clock);
    try {
      WebServer server =
          WebServer.builder()
              .config(serverConfig)
              // Settings Helidon would read from serverConfig are set from the checked
              // KeyserverConfig, so their declared defaults hold for any Config we are given.
              .host(config.host())
              .port(config.port())
              .maxPayloadSize(config.maxPayloadSize())
              // We stop the server ourselves, then close the database it was using.
              .shutdownHook(false)
              .directHandlers(ErrorHandling.directHandlers())
              .addFeature(
                  Observability.feature(
                      serverConfig,
                      components.metrics(),
                      components.database(),
                      components.signatures()))
              // @NOTE Helidon 4.1.7's prologue validation refuses a plain ':' in the query string
              // (helidon#9862), so ?did=did:plc:... would be a 400 before routing. The URI is still
              // parsed and every parameter validated against the lexicon afterwards.
              .addProtocol(
                  Http1Config.builder()
                      .validatePrologue(false)
                      .maxPrologueLength(MAX_REQUEST_LINE)
                      .maxHeadersSize(MAX_HEADERS_SIZE)
                      .build())
              .routing(routing -> routing(routing, components))
              .build()
              .start();
      LOG.log(
          System.Logger.Level.INFO,
          "atp-keyserver listening on port {0}, public URL {1}, service DID {2}, database {3}",
          String.valueOf(server.port()),
          config.publicUrl(),
          config.serviceDid(),
          config.database().describe());
      return new Keyserver(server, components);
    } catch (RuntimeException e) {
      components.close();
      throw e;
    }
  }

  /** Registers the error handlers, the filters in the order they run, and every route. */
  private static void routing(HttpRouting.Builder routing, KeyserverComponents components) {
    ErrorHandling.register(routing);
    // The observer comes first, so every answer (a 429 from the rate limits too) carries a request
    // id and is counted and logged.
    routing.addFilter(components.metrics().requestObserver(XrpcRoutes.METHODS));
    XrpcAuthenticator authenticator =
        components.rateLimits().install(routing, components.authenticator());
    routing
        .register("/", new MetadataService(BuildInfo.version()))
        .register(
            "/.well-known",
            new WellKnownService(components.config().serviceDid(), components.config().publicUrl()))
        .register(
            "/xrpc",
            new XrpcRoutes(
                authenticator,
                components.handlers(),
                xrpcBodyLimit(components.config().maxPayloadSize())));
    // @NOTE No catch-all route: the observe feature's routes are added after these, and a path
    // no route takes ends as Helidon's 404, which ErrorHandling answers with "No such endpoint".
  }

  /**
   * The XRPC routes' own body limit: the listener's, so one setting bounds both (negative, no limit
   * on the listener, leaves the routes' largest).
   */
  private static int xrpcBodyLimit(long maxPayloadSize) {
    return maxPayloadSize < 0 || maxPayloadSize >= Integer.MAX_VALUE
        ? Integer.MAX_VALUE - 1
        : (int) maxPayloadSize;
  }

  /** The port the server listens on. */
  public int port() {
    return server.port();
  }

  /** The database behind the server. */
  public Database database() {
    return components.database();
  }

  /**
   * Whether key reads are served from the in-memory cache right now: false while a PostgreSQL
   * instance cannot hear other instances' writes (diagnostics and tests).
   */
  public boolean keyCacheServing() {
    return components.keyCaches().enabled();
  }

  /** Waits until every access-log entry queued so far is written (tests compare stored rows). */
  public void awaitAccessLogWrites() {
    components.accessLogWriter().flush();
  }

  /** Stops accepting requests, lets running ones finish, then closes the database. */
  @Override
  public void close() {
    try {
      server.stop();
    } finally {
      components.close();
    }
  }
}
