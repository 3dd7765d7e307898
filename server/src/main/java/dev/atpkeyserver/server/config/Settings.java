package dev.atpkeyserver.server.config;

import static dev.atpkeyserver.server.config.ValueType.BOOLEAN;
import static dev.atpkeyserver.server.config.ValueType.DID;
import static dev.atpkeyserver.server.config.ValueType.DURATION;
import static dev.atpkeyserver.server.config.ValueType.HTTP_URL;
import static dev.atpkeyserver.server.config.ValueType.INTEGER;
import static dev.atpkeyserver.server.config.ValueType.LIST;
import static dev.atpkeyserver.server.config.ValueType.LONG;
import static dev.atpkeyserver.server.config.ValueType.PATH;
import static dev.atpkeyserver.server.config.ValueType.STRING;

import dev.atpkeyserver.did.CachingDidResolver;
import dev.atpkeyserver.server.db.DatabaseSettings;
import dev.atpkeyserver.server.ratelimit.RateLimitClass;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Every setting the keyserver reads, each declared once with its key, type, default and
 * description, in the order of the reference table in {@code docs/operations.md}.
 *
 * <p>Configuration keys and their environment variables are part of the interface: operators' files
 * and unit environments name them. Rename none.
 *
 * <p>Where a component uses the same value outside configuration (the database settings' waits, the
 * contract's rate-limit budgets), the declaration takes it from that component's constant instead
 * of repeating it.
 */
public final class Settings {

  // @NOTE Static fields initialise in textual order: this list must come before the first
  // setting, and ALL after the last, so that every declaration below is registered exactly once.
  private static final List<Setting<?>> declared = new ArrayList<>();

  // Helidon's listener settings: KeyserverConfig reads them and Keyserver.start sets them on the
  // web server explicitly, so they apply whatever Config the server is started with.

  /** {@code server.port}. */
  public static final Setting<Integer> PORT =
      withDefault("server.port", INTEGER, "4000", "TCP port (0 picks a free one)");

  /** {@code server.host}. */
  public static final Setting<String> HOST =
      withDefault("server.host", STRING, "0.0.0.0", "interface to bind");

  /** {@code server.max-payload-size}. */
  public static final Setting<Long> MAX_PAYLOAD_SIZE =
      withDefault(
          "server.max-payload-size",
          LONG,
          "131072",
          "largest request body in bytes; larger ones are refused with 413 before any handler"
              + " runs (a backup.put of the largest bundle needs about 90 KiB)");

  /** {@code keyserver.public-url}. */
  public static final Setting<Optional<URI>> PUBLIC_URL =
      optional(
          "keyserver.public-url",
          HTTP_URL,
          "`http://localhost:<port>`",
          "the URL clients and PDSes reach this server at; the DID document's `serviceEndpoint`");

  /** {@code keyserver.service-did}. */
  public static final Setting<Optional<String>> SERVICE_DID =
      optional(
          "keyserver.service-did",
          DID,
          "did:web of the public URL's host (`did:web:localhost%3A4000`)",
          "this service's DID: the `aud` tokens must carry");

  /** {@code keyserver.plc-url}. */
  public static final Setting<URI> PLC_URL =
      withDefault(
          "keyserver.plc-url", HTTP_URL, "https://plc.directory", "PLC directory for did:plc");

  /** {@code keyserver.data-dir}. */
  public static final Setting<Path> DATA_DIR =
      withDefault(
          "keyserver.data-dir", PATH, "./data", "embedded database and generated master key");

  /** {@code keyserver.db.url}. */
  public static final Setting<Optional<String>> DB_URL =
      optional(
          "keyserver.db.url",
          STRING.blankMeansUnset(),
          "embedded H2 in the data directory",
          "JDBC URL, e.g. `jdbc:postgresql://127.0.0.1:5432/keyserver`");

  /** {@code keyserver.db.username}. */
  public static final Setting<Optional<String>> DB_USERNAME =
      optional("keyserver.db.username", STRING, "none", "database user");

  /** {@code keyserver.db.password}. */
  public static final Setting<Optional<String>> DB_PASSWORD =
      optional("keyserver.db.password", STRING, "none", "database password (never logged)");

  /** {@code keyserver.db.pool-size}. */
  public static final Setting<Integer> DB_POOL_SIZE =
      withDefault(
          "keyserver.db.pool-size",
          INTEGER,
          "16",
          "connection pool size: the database concurrency limit");

  /** {@code keyserver.db.lock-timeout}. */
  public static final Setting<Duration> DB_LOCK_TIMEOUT =
      withDefault(
          "keyserver.db.lock-timeout",
          DURATION,
          DatabaseSettings.DEFAULT_LOCK_TIMEOUT.toString(),
          "how long a statement waits for a row lock before its request answers 503 (statements"
              + " also stop after 30 s on PostgreSQL)");

  /** {@code keyserver.db.connection-timeout}. */
  public static final Setting<Duration> DB_CONNECTION_TIMEOUT =
      withDefault(
          "keyserver.db.connection-timeout",
          DURATION,
          DatabaseSettings.DEFAULT_CONNECTION_TIMEOUT.toString(),
          "how long a request waits for a pooled connection before it answers 503; while the"
              + " database is down, every request fails after this long (at least `PT0.25S`)");

  /** {@code keyserver.did-web.allow-local-hosts}. */
  public static final Setting<Boolean> DID_WEB_ALLOW_LOCAL_HOSTS =
      withDefault(
          "keyserver.did-web.allow-local-hosts",
          BOOLEAN,
          "false",
          "let did:web hosts resolve to loopback/private addresses, fetch `did:web:localhost…`"
              + " over http, and let the account page call PDSes on `http://localhost` and"
              + " `http://127.0.0.1` (tests, local development only)");

  /** {@code keyserver.did-resolver.timeout}. */
  public static final Setting<Duration> DID_RESOLVER_TIMEOUT =
      withDefault(
          "keyserver.did-resolver.timeout", DURATION, "PT3S", "timeout of one DID document fetch");

  // Misses are rare: 64 concurrent fetches carry hundreds of new DIDs a second at normal PLC
  // latency, and bound a hanging host's cost to 64 waiting threads (docs/decisions.md).
  /** {@code keyserver.did-resolver.max-concurrent-fetches}. */
  public static final Setting<Integer> DID_RESOLVER_MAX_CONCURRENT_FETCHES =
      withDefault(
          "keyserver.did-resolver.max-concurrent-fetches",
          INTEGER,
          "64",
          "DID documents fetched at once; past it a token for an uncached DID gets a 401 at once"
              + " instead of waiting behind a slow host");

  /** {@code keyserver.did-cache.stale-ttl}. */
  public static final Setting<Duration> DID_CACHE_STALE_TTL =
      withDefault(
          "keyserver.did-cache.stale-ttl",
          DURATION,
          "PT1H",
          "cached DID documents older than this are refreshed in the background");

  /** {@code keyserver.did-cache.max-ttl}. */
  public static final Setting<Duration> DID_CACHE_MAX_TTL =
      withDefault(
          "keyserver.did-cache.max-ttl", DURATION, "PT24H", "... and older than this are dropped");

  /** {@code keyserver.did-cache.max-entries}. */
  public static final Setting<Integer> DID_CACHE_MAX_ENTRIES =
      withDefault("keyserver.did-cache.max-entries", INTEGER, "10000", "cache bound");

  /** {@code keyserver.did-cache.min-refresh-interval}. */
  public static final Setting<Duration> DID_CACHE_MIN_REFRESH_INTERVAL =
      withDefault(
          "keyserver.did-cache.min-refresh-interval",
          DURATION,
          "PT5S",
          "the time in which one DID earns back one forced refresh (a re-fetch after a bad token"
              + " signature)");

  /** {@code keyserver.did-cache.forced-refresh-burst}. */
  public static final Setting<Integer> DID_CACHE_FORCED_REFRESH_BURST =
      withDefault(
          "keyserver.did-cache.forced-refresh-burst",
          INTEGER,
          String.valueOf(CachingDidResolver.DEFAULT_FORCED_REFRESH_BURST),
          "forced refreshes one DID may cause in a row; the first token from a rotated signing key"
              + " always gets one");

  // One minute: a flood of tokens for a missing DID costs one fetch a minute, and a user who has
  // just fixed their document waits at most that long (docs/decisions.md).
  /** {@code keyserver.did-cache.negative-ttl}. */
  public static final Setting<Duration> DID_CACHE_NEGATIVE_TTL =
      withDefault(
          "keyserver.did-cache.negative-ttl",
          DURATION,
          "PT1M",
          "a DID that resolved to \"not found\" or a malformed document is refused from memory this"
              + " long (`PT0S`: never)");

  /** {@code keyserver.trusted-proxies}. */
  public static final Setting<List<String>> TRUSTED_PROXIES =
      withDefault(
          "keyserver.trusted-proxies",
          LIST,
          "",
          "comma-separated IPs/CIDRs whose `X-Forwarded-For` is believed for the access log");

  /** {@code keyserver.master-key}. */
  public static final Setting<Optional<String>> MASTER_KEY =
      optional(
          "keyserver.master-key",
          STRING.blankMeansUnset(),
          "none",
          "the master key as a Tink JSON keyset");

  /** {@code keyserver.master-key-file}. */
  public static final Setting<Optional<Path>> MASTER_KEY_FILE =
      optional(
          "keyserver.master-key-file",
          PATH.blankMeansUnset(),
          "none",
          "a file holding it; when neither is set, `<data-dir>/master-key.json`, generated on the"
              + " first run against an empty database (a database that already sealed keys refuses"
              + " to start without its key)");

  /** {@code keyserver.require-private-files}. */
  public static final Setting<Boolean> REQUIRE_PRIVATE_FILES =
      withDefault(
          "keyserver.require-private-files",
          BOOLEAN,
          "false",
          "`true` refuses to start when the data folder or the master key file can be read by"
              + " anyone but its owner; `false` logs a warning");

  // The API's changelog promises 90 days.
  /** {@code keyserver.access-log.retention}. */
  public static final Setting<Duration> ACCESS_LOG_RETENTION =
      withDefault(
          "keyserver.access-log.retention",
          DURATION,
          "P90D",
          "access-log entries older than this are purged hourly, in small batches");

  /** {@code keyserver.audit-log.retention}. */
  public static final Setting<Duration> AUDIT_LOG_RETENTION =
      withDefault(
          "keyserver.audit-log.retention",
          DURATION,
          "P90D",
          "audit events older than this are purged hourly, in small batches");

  /** {@code keyserver.key-cache.enabled}. */
  public static final Setting<Boolean> KEY_CACHE_ENABLED =
      withDefault(
          "keyserver.key-cache.enabled",
          BOOLEAN,
          "true",
          "serve key reads from memory; every write invalidates them here and, through PostgreSQL"
              + " `LISTEN/NOTIFY`, on every instance");

  /** {@code keyserver.key-cache.max-entries}. */
  public static final Setting<Integer> KEY_CACHE_MAX_ENTRIES =
      withDefault(
          "keyserver.key-cache.max-entries",
          INTEGER,
          "20000",
          "key rows kept in each of the two key caches (keypairs, group keys), about 300 bytes"
              + " each; every row is re-read after a minute at most");

  /** {@code keyserver.rate-limit.enabled}. */
  public static final Setting<Boolean> RATE_LIMIT_ENABLED =
      withDefault(
          "keyserver.rate-limit.enabled",
          BOOLEAN,
          "true",
          "`false` turns every rate limit off, and the `X-RateLimit-*` headers with it (see"
              + " [API](api.md#rate-limits))");

  /** {@code keyserver.rate-limit.public.requests}. */
  public static final Setting<Integer> RATE_LIMIT_PUBLIC_REQUESTS =
      requests(
          RateLimitClass.PUBLIC,
          "per client IP (IPv6: per /64), for unauthenticated requests and failed"
              + " authentications");

  /** {@code keyserver.rate-limit.public.window}. */
  public static final Setting<Duration> RATE_LIMIT_PUBLIC_WINDOW = window(RateLimitClass.PUBLIC);

  /** {@code keyserver.rate-limit.authenticated.requests}. */
  public static final Setting<Integer> RATE_LIMIT_AUTHENTICATED_REQUESTS =
      requests(RateLimitClass.AUTHENTICATED, "per caller DID, for authenticated calls");

  /** {@code keyserver.rate-limit.authenticated.window}. */
  public static final Setting<Duration> RATE_LIMIT_AUTHENTICATED_WINDOW =
      window(RateLimitClass.AUTHENTICATED);

  /** {@code keyserver.rate-limit.rotation.requests}. */
  public static final Setting<Integer> RATE_LIMIT_ROTATION_REQUESTS =
      requests(
          RateLimitClass.ROTATION,
          "per DID, for `keypair.rotate` and `group.rotateKey` (which also spend the authenticated"
              + " budget)");

  /** {@code keyserver.rate-limit.rotation.window}. */
  public static final Setting<Duration> RATE_LIMIT_ROTATION_WINDOW =
      window(RateLimitClass.ROTATION);

  /** {@code keyserver.rate-limit.membership.requests}. */
  public static final Setting<Integer> RATE_LIMIT_MEMBERSHIP_REQUESTS =
      requests(
          RateLimitClass.MEMBERSHIP,
          "per DID, for `group.addMember` and `group.removeMember` (which also spend the"
              + " authenticated budget)");

  /** {@code keyserver.rate-limit.membership.window}. */
  public static final Setting<Duration> RATE_LIMIT_MEMBERSHIP_WINDOW =
      window(RateLimitClass.MEMBERSHIP);

  /** {@code keyserver.rate-limit.claim.requests}. */
  public static final Setting<Integer> RATE_LIMIT_CLAIM_REQUESTS =
      requests(
          RateLimitClass.CLAIM,
          "per DID, for `device.claimBundles` (which also spends the authenticated budget)");

  /** {@code keyserver.rate-limit.claim.window}. */
  public static final Setting<Duration> RATE_LIMIT_CLAIM_WINDOW = window(RateLimitClass.CLAIM);

  /** Every setting, in declaration order: the order of the reference table. */
  public static final List<Setting<?>> ALL = List.copyOf(declared);

  private Settings() {}

  /** The setting for the number of requests {@code rateClass} allows per window. */
  public static Setting<Integer> rateLimitRequests(RateLimitClass rateClass) {
    return switch (rateClass) {
      case PUBLIC -> RATE_LIMIT_PUBLIC_REQUESTS;
      case AUTHENTICATED -> RATE_LIMIT_AUTHENTICATED_REQUESTS;
      case ROTATION -> RATE_LIMIT_ROTATION_REQUESTS;
      case MEMBERSHIP -> RATE_LIMIT_MEMBERSHIP_REQUESTS;
      case CLAIM -> RATE_LIMIT_CLAIM_REQUESTS;
    };
  }

  /** The setting for the length of {@code rateClass}'s window. */
  public static Setting<Duration> rateLimitWindow(RateLimitClass rateClass) {
    return switch (rateClass) {
      case PUBLIC -> RATE_LIMIT_PUBLIC_WINDOW;
      case AUTHENTICATED -> RATE_LIMIT_AUTHENTICATED_WINDOW;
      case ROTATION -> RATE_LIMIT_ROTATION_WINDOW;
      case MEMBERSHIP -> RATE_LIMIT_MEMBERSHIP_WINDOW;
      case CLAIM -> RATE_LIMIT_CLAIM_WINDOW;
    };
  }

  private static <T> Setting<T> withDefault(
      String key, ValueType<T> type, String defaultText, String description) {
    return declare(Setting.withDefault(key, type, defaultText, description));
  }

  private static <T> Setting<Optional<T>> optional(
      String key, ValueType<T> type, String whenUnset, String description) {
    return declare(Setting.optional(key, type, whenUnset, description));
  }

  /** The contract's budget (RateLimitClass) is the default; the key uses the class's name. */
  private static Setting<Integer> requests(RateLimitClass rateClass, String whoAndWhat) {
    return withDefault(
        "keyserver.rate-limit." + rateClass.configName() + ".requests",
        INTEGER,
        String.valueOf(rateClass.defaultLimit().requests()),
        "requests allowed per window " + whoAndWhat);
  }

  private static Setting<Duration> window(RateLimitClass rateClass) {
    return withDefault(
        "keyserver.rate-limit." + rateClass.configName() + ".window",
        DURATION,
        rateClass.defaultLimit().window().toString(),
        "... the window, fixed and aligned to the clock (whole seconds)");
  }

  private static <S extends Setting<?>> S declare(S setting) {
    declared.add(setting);
    return setting;
  }
}
