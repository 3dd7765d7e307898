package dev.atpkeyserver.server;

import dev.atpkeyserver.lexicon.XrpcRoutes;
import dev.atpkeyserver.server.api.MetadataService;
import dev.atpkeyserver.server.api.WellKnownService;
import dev.atpkeyserver.server.config.KeyserverConfig;
import dev.atpkeyserver.server.db.Database;
import dev.atpkeyserver.server.http.CacheControl;
import dev.atpkeyserver.server.http.ErrorHandling;
import dev.atpkeyserver.server.http.RequestHeadChecks;
import dev.atpkeyserver.server.http.RequestHeadDeadline;
import dev.atpkeyserver.server.observe.Observability;
import dev.atpkeyserver.server.web.AccountPage;
import dev.atpkeyserver.xrpc.XrpcAuthenticator;
import io.helidon.config.Config;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http1.Http1Config;
import java.time.Clock;
import java.time.Duration;

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

  /**
   * Longest time from the end of a request line to the end of its headers; a slower head closes the
   * connection ({@link RequestHeadDeadline}). A real client sends its head in one packet.
   */
  static final Duration REQUEST_HEAD_DEADLINE = Duration.ofSeconds(10);

  /**
   * A connection waiting for, or still reading, a request line this long is closed (Helidon's
   * {@code idle-connection-timeout}, default 5 min; {@code server.idle-connection-timeout}
   * overrides it). Also the longest a kept-alive connection may sit unused: a proxy keeping
   * connections to this server alive must give them up sooner (docs/operations.md).
   */
  static final Duration IDLE_CONNECTION_TIMEOUT = Duration.ofSeconds(20);

  /** How often idle connections are looked for (Helidon's default: 2 min). */
  static final Duration IDLE_CONNECTION_PERIOD = Duration.ofSeconds(2);

  /**
   * Open connections at most (Helidon's default: no limit; {@code server.max-tcp-connections}
   * overrides it). An idle connection costs about 15 KB of heap, so this bounds them to about 30 MB
   * of the 96 MB the production flags give; past it new connections wait in the accept queue.
   */
  static final int MAX_TCP_CONNECTIONS = 2048;

  private final WebServer server;
  private final RequestHeadDeadline headDeadline;
  private final KeyserverComponents components;

  private Keyserver(
      WebServer server, RequestHeadDeadline headDeadline, KeyserverComponents components) {
    this.server = server;
    this.headDeadline = headDeadline;
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
    RequestHeadDeadline headDeadline = RequestHeadDeadline.start(REQUEST_HEAD_DEADLINE);
    try {
      WebServer server =
          WebServer.builder()
              // Before config(): the same keys under server override these.
              .idleConnectionTimeout(IDLE_CONNECTION_TIMEOUT)
              .idleConnectionPeriod(IDLE_CONNECTION_PERIOD)
              .maxTcpConnections(MAX_TCP_CONNECTIONS)
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
                      // A slow head closes the connection; ambiguous body framing is a 400 and
                      // a closed connection; both before routing. One listener: see its @NOTE.
                      .addReceiveListener(new RequestHeadChecks(headDeadline))
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
      return new Keyserver(server, headDeadline, components);
    } catch (RuntimeException e) {
      headDeadline.close();
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
    routing.addFilter(CacheControl::filter);
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
                xrpcBodyLimit(components.config().maxPayloadSize())))
        .register(
            "/account",
            new AccountPage(
                components.config().serviceDid(),
                components.config().plcUrl(),
                components.config().didResolution().allowLocalHosts()));
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

  /**
   * The port of a named socket from {@code server.sockets}, such as an admin socket serving {@code
   * /observe}; -1 if there is no such socket.
   *
   * @param socket the socket's name
   */
  public int port(String socket) {
    return server.port(socket);
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
      headDeadline.close();
      components.close();
    }
  }
}
