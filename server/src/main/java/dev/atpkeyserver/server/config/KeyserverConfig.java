package dev.atpkeyserver.server.config;

import dev.atpkeyserver.did.CachingDidResolver;
import dev.atpkeyserver.did.Did;
import dev.atpkeyserver.did.MalformedDidException;
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
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The keyserver's settings, read and checked once at start-up from the {@code server} and {@code
 * keyserver} configuration nodes. Components receive the values they need, never the config tree.
 *
 * @param host interface the server binds to
 * @param port TCP port the server listens on (never 0: a free port is chosen up front so that the
 *     public URL and service DID derived from it are right)
 * @param publicUrl the URL clients and PDSes reach this server at
 * @param serviceDid this service's DID: the {@code aud} of service auth tokens
 * @param plcUrl the PLC directory that resolves did:plc identifiers
 * @param dataDir where the embedded database and generated secrets live
 * @param database database connection settings
 * @param didResolution how DIDs are resolved and cached
 * @param trustedProxies proxies whose {@code X-Forwarded-For} is believed
 * @param masterKey where the master key comes from
 * @param accessLogRetention how long access-log entries are kept
 * @param keyCache the in-memory cache of key rows
 * @param rateLimits whether requests are rate limited, and the budget of each class
 * @param requirePrivateFiles whether a data folder or master key file that others can read stops
 *     start-up (otherwise it is warned about)
 */
public record KeyserverConfig(
    String host,
    int port,
    URI publicUrl,
    String serviceDid,
    URI plcUrl,
    Path dataDir,
    DatabaseSettings database,
    DidResolution didResolution,
    List<IpRange> trustedProxies,
    MasterKeySource masterKey,
    Duration accessLogRetention,
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

  /** Reads the settings from the root configuration. */
  public static KeyserverConfig from(Config root) {
    Config keyserver = root.get("keyserver");
    String host = root.get("server.host").asString().orElse("0.0.0.0");
    int port = root.get("server.port").asInt().orElse(4000);
    if (port == 0) {
      port = freePort();
    }
    URI publicUrl =
        keyserver
            .get("public-url")
            .asString()
            .map(value -> httpUrl("keyserver.public-url", value))
            .orElse(URI.create("http://localhost:" + port));
    String serviceDid =
        keyserver
            .get("service-did")
            .asString()
            .map(KeyserverConfig::checkedDid)
            .orElseGet(() -> didWebOf(publicUrl));
    URI plcUrl =
        httpUrl(
            "keyserver.plc-url",
            keyserver.get("plc-url").asString().orElse("https://plc.directory"));
    Path dataDir = Path.of(keyserver.get("data-dir").asString().orElse("./data"));
    int poolSize = keyserver.get("db.pool-size").asInt().orElse(16);
    Duration lockTimeout =
        keyserver
            .get("db.lock-timeout")
            .as(Duration.class)
            .orElse(DatabaseSettings.DEFAULT_LOCK_TIMEOUT);
    Duration connectionTimeout =
        keyserver
            .get("db.connection-timeout")
            .as(Duration.class)
            .orElse(DatabaseSettings.DEFAULT_CONNECTION_TIMEOUT);
    Optional<String> dbUrl =
        keyserver.get("db.url").asString().asOptional().filter(s -> !s.isBlank());
    DatabaseSettings database =
        dbUrl
            .map(
                url ->
                    new DatabaseSettings(
                        url,
                        keyserver.get("db.username").asString().asOptional(),
                        keyserver.get("db.password").asString().asOptional(),
                        poolSize,
                        lockTimeout,
                        connectionTimeout))
            .orElseGet(
                () -> DatabaseSettings.embedded(dataDir, poolSize, lockTimeout, connectionTimeout));
    DidResolution didResolution =
        new DidResolution(
            keyserver.get("did-resolver.timeout").as(Duration.class).orElse(Duration.ofSeconds(3)),
            keyserver.get("did-cache.stale-ttl").as(Duration.class).orElse(Duration.ofHours(1)),
            keyserver.get("did-cache.max-ttl").as(Duration.class).orElse(Duration.ofHours(24)),
            keyserver.get("did-cache.max-entries").asInt().orElse(10_000),
            keyserver
                .get("did-cache.min-refresh-interval")
                .as(Duration.class)
                .orElse(Duration.ofSeconds(5)),
            keyserver
                .get("did-cache.forced-refresh-burst")
                .asInt()
                .orElse(CachingDidResolver.DEFAULT_FORCED_REFRESH_BURST),
            keyserver.get("did-web.allow-local-hosts").asBoolean().orElse(false),
            keyserver
                .get("did-cache.negative-ttl")
                .as(Duration.class)
                .orElse(Duration.ofMinutes(1)),
            keyserver.get("did-resolver.max-concurrent-fetches").asInt().orElse(64));
    List<IpRange> trustedProxies =
        splitList(keyserver.get("trusted-proxies")).stream().map(IpRange::parse).toList();
    MasterKeySource masterKey =
        new MasterKeySource(
            keyserver.get("master-key").asString().asOptional().filter(s -> !s.isBlank()),
            keyserver
                .get("master-key-file")
                .asString()
                .asOptional()
                .filter(s -> !s.isBlank())
                .map(Path::of));
    return new KeyserverConfig(
        host,
        port,
        publicUrl,
        serviceDid,
        plcUrl,
        dataDir,
        database,
        didResolution,
        trustedProxies,
        masterKey,
        keyserver.get("access-log.retention").as(Duration.class).orElse(Duration.ofDays(90)),
        new KeyCache(
            keyserver.get("key-cache.enabled").asBoolean().orElse(true),
            keyserver.get("key-cache.max-entries").asInt().orElse(20_000)),
        rateLimits(keyserver.get("rate-limit")),
        keyserver.get("require-private-files").asBoolean().orElse(false));
  }

  /** {@code keyserver.rate-limit.*}: each class's budget, defaults from the contract. */
  private static RateLimitSettings rateLimits(Config node) {
    Map<RateLimitClass, RateLimit> limits = new EnumMap<>(RateLimitClass.class);
    for (RateLimitClass rateClass : RateLimitClass.values()) {
      String prefix = "keyserver.rate-limit." + rateClass.configName();
      Config classNode = node.get(rateClass.configName());
      RateLimit defaults = rateClass.defaultLimit();
      int requests = classNode.get("requests").asInt().orElse(defaults.requests());
      Duration window = classNode.get("window").as(Duration.class).orElse(defaults.window());
      try {
        limits.put(rateClass, new RateLimit(requests, window));
      } catch (IllegalArgumentException e) {
        throw new IllegalStateException(prefix + ": " + e.getMessage(), e);
      }
    }
    return new RateLimitSettings(node.get("enabled").asBoolean().orElse(true), limits);
  }

  /** A list given as YAML sequence or as one comma-separated value (system property, env). */
  private static List<String> splitList(Config node) {
    if (node.isList()) {
      return node.asList(String.class).orElse(List.of());
    }
    return node.asString()
        .map(
            value ->
                Arrays.stream(value.split(","))
                    .map(String::strip)
                    .filter(v -> !v.isEmpty())
                    .toList())
        .orElse(List.of());
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

  private static String checkedDid(String value) {
    try {
      return Did.parse(value).toString();
    } catch (MalformedDidException e) {
      throw new IllegalStateException("keyserver.service-did is not a valid DID: " + value, e);
    }
  }

  private static URI httpUrl(String key, String value) {
    URI uri;
    try {
      uri = URI.create(value.strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(key + " is not a valid URL: " + value, e);
    }
    if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
        || uri.getHost() == null) {
      throw new IllegalStateException(key + " must be an absolute http(s) URL: " + value);
    }
    return uri;
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free TCP port", e);
    }
  }
}
