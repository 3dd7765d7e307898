package dev.atpkeyserver.server.config;

import dev.atpkeyserver.server.db.DatabaseSettings;
import dev.atpkeyserver.server.net.IpRange;
import dev.atpkeyserver.server.ratelimit.RateLimit;
import dev.atpkeyserver.server.ratelimit.RateLimitClass;
import dev.atpkeyserver.server.ratelimit.RateLimitSettings;
import io.helidon.config.Config;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The keyserver's settings, read and checked once at start-up from the {@code server} and {@code
 * keyserver} configuration nodes through their declarations in {@link Settings}. Components receive
 * the values they need, never the config tree.
 *
 * @param host interface the server binds to
 * @param port TCP port the server listens on (never 0: a free port is chosen up front so that the
 *     public URL and service DID derived from it are right)
 * @param maxPayloadSize largest request body in bytes, set on Helidon's listener (negative: no
 *     limit, as in Helidon)
 * @param publicUrl the URL clients and PDSes reach this server at
 * @param serviceDid this service's DID: the {@code aud} of service auth tokens
 * @param plcUrl the PLC directory that resolves did:plc identifiers
 * @param dataDir where the embedded database and generated secrets live
 * @param database database connection settings
 * @param didResolution how DIDs are resolved and cached
 * @param trustedProxies proxies whose {@code X-Forwarded-For} is believed
 * @param masterKey where the master key comes from
 * @param accessLogRetention how long access-log entries are kept
 * @param auditLogRetention how long audit events are kept
 * @param keyCache the in-memory cache of key rows
 * @param rateLimits whether requests are rate limited, and the budget of each class
 * @param requirePrivateFiles whether a data folder or master key file that others can read stops
 *     start-up (otherwise it is warned about)
 */
public record KeyserverConfig(
    String host,
    int port,
    long maxPayloadSize,
    URI publicUrl,
    String serviceDid,
    URI plcUrl,
    Path dataDir,
    DatabaseSettings database,
    DidResolution didResolution,
    List<IpRange> trustedProxies,
    MasterKeySource masterKey,
    Duration accessLogRetention,
    Duration auditLogRetention,
    KeyCache keyCache,
    RateLimitSettings rateLimits,
    boolean requirePrivateFiles) {

  /**
   * The cache of key rows reads are served from.
   *
   * @param enabled false sends every read to the database
   * @param maxEntries key rows kept in each of the two caches (keypairs, group keys)
   */
  public record KeyCache(boolean enabled, int maxEntries) {
    /** Checks the bound. */
    public KeyCache {
      if (maxEntries < 1) {
        throw new IllegalStateException("keyserver.key-cache.max-entries must be at least 1");
      }
    }
  }

  /**
   * DID resolution and caching settings.
   *
   * @param timeout connect and response timeout of one DID document fetch
   * @param staleTtl age after which a cached document is refreshed in the background
   * @param maxTtl age after which a cached document is dropped
   * @param maxEntries the cache's bound
   * @param minRefreshInterval the time in which one DID earns back one forced refresh (a fetch
   *     after a bad signature)
   * @param forcedRefreshBurst how many forced refreshes one DID may cause in a row
   * @param allowLocalHosts whether did:web hosts may be loopback or private addresses (tests, local
   *     development); also lets {@code did:web:localhost} be fetched over plain http
   * @param negativeTtl how long a DID that resolved to "not found" or a malformed document is
   *     answered from memory; zero remembers nothing
   * @param maxConcurrentFetches how many DID documents may be fetched at once; past it a resolution
   *     fails at once
   */
  public record DidResolution(
      Duration timeout,
      Duration staleTtl,
      Duration maxTtl,
      int maxEntries,
      Duration minRefreshInterval,
      int forcedRefreshBurst,
      boolean allowLocalHosts,
      Duration negativeTtl,
      int maxConcurrentFetches) {

    /** Checks the values a typo could make nonsensical. */
    public DidResolution {
      if (forcedRefreshBurst < 1) {
        throw new IllegalStateException(
            "keyserver.did-cache.forced-refresh-burst must be at least 1: " + forcedRefreshBurst);
      }
      if (negativeTtl.isNegative()) {
        throw new IllegalStateException(
            "keyserver.did-cache.negative-ttl must not be negative: " + negativeTtl);
      }
      if (maxConcurrentFetches < 1) {
        throw new IllegalStateException(
            "keyserver.did-resolver.max-concurrent-fetches must be at least 1: "
                + maxConcurrentFetches);
      }
    }
  }

  /**
   * Where the master key comes from; {@link #toString()} never shows an inline key.
   *
   * @param inline a Tink JSON keyset given directly ({@code keyserver.master-key})
   * @param file a file holding one ({@code keyserver.master-key-file})
   */
  public record MasterKeySource(Optional<String> inline, Optional<Path> file) {
    @Override
    public String toString() {
      return inline.isPresent()
          ? "MasterKeySource[inline, redacted]"
          : "MasterKeySource[file=" + file + "]";
    }
  }

  /**
   * Reads every setting from the root configuration, each through its declaration in {@link
   * Settings}, which supplies the default when nothing sets it.
   */
  public static KeyserverConfig from(Config root) {
    String host = Settings.HOST.read(root);
    int configuredPort = Settings.PORT.read(root);
    int port = configuredPort == 0 ? freePort() : configuredPort;
    long maxPayloadSize = Settings.MAX_PAYLOAD_SIZE.read(root);
    URI publicUrl =
        Settings.PUBLIC_URL.read(root).orElseGet(() -> URI.create("http://localhost:" + port));
    String serviceDid = Settings.SERVICE_DID.read(root).orElseGet(() -> didWebOf(publicUrl));
    URI plcUrl = Settings.PLC_URL.read(root);
    Path dataDir = Settings.DATA_DIR.read(root);
    int poolSize = Settings.DB_POOL_SIZE.read(root);
    Duration lockTimeout = Settings.DB_LOCK_TIMEOUT.read(root);
    Duration connectionTimeout = Settings.DB_CONNECTION_TIMEOUT.read(root);
    DatabaseSettings database =
        Settings.DB_URL
            .read(root)
            .map(
                url ->
                    new DatabaseSettings(
                        url,
                        Settings.DB_USERNAME.read(root),
                        Settings.DB_PASSWORD.read(root),
                        poolSize,
                        lockTimeout,
                        connectionTimeout))
            .orElseGet(
                () -> DatabaseSettings.embedded(dataDir, poolSize, lockTimeout, connectionTimeout));
    DidResolution didResolution =
        new DidResolution(
            Settings.DID_RESOLVER_TIMEOUT.read(root),
            Settings.DID_CACHE_STALE_TTL.read(root),
            Settings.DID_CACHE_MAX_TTL.read(root),
            Settings.DID_CACHE_MAX_ENTRIES.read(root),
            Settings.DID_CACHE_MIN_REFRESH_INTERVAL.read(root),
            Settings.DID_CACHE_FORCED_REFRESH_BURST.read(root),
            Settings.DID_WEB_ALLOW_LOCAL_HOSTS.read(root),
            Settings.DID_CACHE_NEGATIVE_TTL.read(root),
            Settings.DID_RESOLVER_MAX_CONCURRENT_FETCHES.read(root));
    List<IpRange> trustedProxies =
        Settings.TRUSTED_PROXIES.read(root).stream().map(IpRange::parse).toList();
    MasterKeySource masterKey =
        new MasterKeySource(Settings.MASTER_KEY.read(root), Settings.MASTER_KEY_FILE.read(root));
    return new KeyserverConfig(
        host,
        port,
        maxPayloadSize,
        publicUrl,
        serviceDid,
        plcUrl,
        dataDir,
        database,
        didResolution,
        trustedProxies,
        masterKey,
        Settings.ACCESS_LOG_RETENTION.read(root),
        Settings.AUDIT_LOG_RETENTION.read(root),
        new KeyCache(
            Settings.KEY_CACHE_ENABLED.read(root), Settings.KEY_CACHE_MAX_ENTRIES.read(root)),
        rateLimits(root),
        Settings.REQUIRE_PRIVATE_FILES.read(root));
  }

  /** {@code keyserver.rate-limit.*}: whether limits apply, and each class's budget. */
  private static RateLimitSettings rateLimits(Config root) {
    Map<RateLimitClass, RateLimit> limits = new EnumMap<>(RateLimitClass.class);
    for (RateLimitClass rateClass : RateLimitClass.values()) {
      Setting<Integer> requests = Settings.rateLimitRequests(rateClass);
      Setting<Duration> window = Settings.rateLimitWindow(rateClass);
      try {
        limits.put(rateClass, new RateLimit(requests.read(root), window.read(root)));
      } catch (IllegalArgumentException e) {
        // Name the class's node (keyserver.rate-limit.public): the message says which value.
        String node = requests.key().substring(0, requests.key().lastIndexOf('.'));
        throw new IllegalStateException(node + ": " + e.getMessage(), e);
      }
    }
    return new RateLimitSettings(Settings.RATE_LIMIT_ENABLED.read(root), limits);
  }

  /**
   * The did:web identifier of a URL's host, with a non-default port percent-encoded as the did:web
   * method requires: {@code http://localhost:4000} becomes {@code did:web:localhost%3A4000}.
   */
  static String didWebOf(URI url) {
    int port = url.getPort();
    boolean defaultPort =
        port == -1
            || ("https".equals(url.getScheme()) && port == 443)
            || ("http".equals(url.getScheme()) && port == 80);
    return "did:web:" + url.getHost() + (defaultPort ? "" : "%3A" + port);
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free TCP port", e);
    }
  }
}
