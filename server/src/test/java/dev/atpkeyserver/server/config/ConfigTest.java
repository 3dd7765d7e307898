package dev.atpkeyserver.server.config;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.atpkeyserver.server.ratelimit.RateLimit;
import dev.atpkeyserver.server.ratelimit.RateLimitClass;
import dev.atpkeyserver.server.ratelimit.RateLimitSettings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Configuration defaults and the environment-variable names operators use. */
class ConfigTest {

  @Test
  void defaultsMatchTheReadmeTable() {
    KeyserverConfig config = KeyserverConfig.from(ConfigLoader.load(Map.of()));
    assertThat(config.port(), equalTo(4000));
    assertThat(config.maxPayloadSize(), equalTo(131_072L));
    assertThat(config.publicUrl(), equalTo(URI.create("http://localhost:4000")));
    assertThat(config.serviceDid(), equalTo("did:web:localhost%3A4000"));
    assertThat(config.plcUrl(), equalTo(URI.create("https://plc.directory")));
    assertThat(config.dataDir(), equalTo(Path.of("./data")));
    assertThat(config.database().isH2(), is(true));
    assertThat(config.didResolution().allowLocalHosts(), is(false));
    assertThat(config.trustedProxies().isEmpty(), is(true));
    assertThat(config.accessLogRetention().toDays(), equalTo(90L));
    assertThat(config.didResolution().timeout().toSeconds(), equalTo(3L));
    assertThat(config.database().connectionTimeout().toSeconds(), equalTo(5L));
    assertThat(config.rateLimits(), equalTo(RateLimitSettings.defaults()));
    assertThat(config.keyCache(), equalTo(new KeyserverConfig.KeyCache(true, 20_000)));
  }

  @Test
  void theKeyCacheIsSetFromTheEnvironmentAndRefusesAnEmptyBound() {
    KeyserverConfig config =
        KeyserverConfig.from(
            ConfigLoader.load(
                Map.of(
                    "KEYSERVER_KEY_CACHE_ENABLED", "false",
                    "KEYSERVER_KEY_CACHE_MAX_ENTRIES", "123")));
    assertThat(config.keyCache(), equalTo(new KeyserverConfig.KeyCache(false, 123)));

    IllegalStateException empty =
        assertThrows(
            IllegalStateException.class,
            () ->
                KeyserverConfig.from(
                    ConfigLoader.load(Map.of("KEYSERVER_KEY_CACHE_MAX_ENTRIES", "0"))));
    assertThat(empty.getMessage(), containsString("keyserver.key-cache.max-entries"));
  }

  @Test
  void packagedRateLimitsAreTheContractsAndEveryKeyHasAnEnvironmentVariable() {
    RateLimitSettings limits =
        KeyserverConfig.from(
                ConfigLoader.load(
                    Map.of(
                        "KEYSERVER_RATE_LIMIT_ENABLED", "false",
                        "KEYSERVER_RATE_LIMIT_PUBLIC_REQUESTS", "7",
                        "KEYSERVER_RATE_LIMIT_PUBLIC_WINDOW", "PT10S",
                        "KEYSERVER_RATE_LIMIT_AUTHENTICATED_REQUESTS", "50",
                        "KEYSERVER_RATE_LIMIT_AUTHENTICATED_WINDOW", "PT2M",
                        "KEYSERVER_RATE_LIMIT_ROTATION_REQUESTS", "3",
                        "KEYSERVER_RATE_LIMIT_ROTATION_WINDOW", "P1D",
                        "KEYSERVER_RATE_LIMIT_MEMBERSHIP_REQUESTS", "4",
                        "KEYSERVER_RATE_LIMIT_MEMBERSHIP_WINDOW", "PT30M")))
            .rateLimits();

    assertThat(limits.enabled(), is(false));
    assertThat(limits.limit(RateLimitClass.PUBLIC), equalTo(limit(7, "PT10S")));
    assertThat(limits.limit(RateLimitClass.AUTHENTICATED), equalTo(limit(50, "PT2M")));
    assertThat(limits.limit(RateLimitClass.ROTATION), equalTo(limit(3, "P1D")));
    assertThat(limits.limit(RateLimitClass.MEMBERSHIP), equalTo(limit(4, "PT30M")));
    assertThat(
        RateLimitSettings.defaults().limit(RateLimitClass.ROTATION), equalTo(limit(10, "PT1H")));
  }

  @Test
  void badRateLimitsFailAtStartUpNamingTheKey() {
    IllegalStateException zero =
        assertThrows(
            IllegalStateException.class,
            () ->
                KeyserverConfig.from(
                    ConfigLoader.load(Map.of("KEYSERVER_RATE_LIMIT_ROTATION_REQUESTS", "0"))));
    IllegalStateException shortWindow =
        assertThrows(
            IllegalStateException.class,
            () ->
                KeyserverConfig.from(
                    ConfigLoader.load(Map.of("KEYSERVER_RATE_LIMIT_PUBLIC_WINDOW", "PT0.5S"))));

    assertThat(zero.getMessage(), containsString("keyserver.rate-limit.rotation"));
    assertThat(shortWindow.getMessage(), containsString("keyserver.rate-limit.public"));
  }

  private static RateLimit limit(int requests, String window) {
    return new RateLimit(requests, Duration.parse(window));
  }

  @Test
  void everyKeyCanComeFromItsEnvironmentVariable(@TempDir Path dir) {
    Map<String, String> env =
        Map.of(
            "SERVER_PORT", "4100",
            "KEYSERVER_PUBLIC_URL", "https://keys.example.org",
            "KEYSERVER_PLC_URL", "http://127.0.0.1:2582",
            "KEYSERVER_DATA_DIR", dir.toString(),
            "KEYSERVER_DB_URL", "jdbc:postgresql://db.internal/keys",
            "KEYSERVER_DB_USERNAME", "keyserver",
            "KEYSERVER_DID_WEB_ALLOW_LOCAL_HOSTS", "true",
            "KEYSERVER_TRUSTED_PROXIES", "10.0.0.0/8, 192.0.2.7",
            "KEYSERVER_DID_CACHE_STALE_TTL", "PT5M",
            "KEYSERVER_DB_CONNECTION_TIMEOUT", "PT1S");

    KeyserverConfig config = KeyserverConfig.from(ConfigLoader.load(env));

    assertThat(config.port(), equalTo(4100));
    assertThat(config.serviceDid(), equalTo("did:web:keys.example.org"));
    assertThat(config.plcUrl(), equalTo(URI.create("http://127.0.0.1:2582")));
    assertThat(config.dataDir(), equalTo(dir));
    assertThat(config.database().url(), equalTo("jdbc:postgresql://db.internal/keys"));
    assertThat(config.database().username().orElseThrow(), equalTo("keyserver"));
    assertThat(config.didResolution().allowLocalHosts(), is(true));
    assertThat(config.trustedProxies().size(), equalTo(2));
    assertThat(config.didResolution().staleTtl().toMinutes(), equalTo(5L));
    assertThat(config.database().connectionTimeout().toMillis(), equalTo(1000L));
  }

  @Test
  void aConnectionTimeoutHikariWouldIgnoreIsRefused() {
    IllegalArgumentException refused =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                KeyserverConfig.from(
                    ConfigLoader.load(Map.of("KEYSERVER_DB_CONNECTION_TIMEOUT", "PT0.1S"))));
    assertThat(refused.getMessage(), containsString("keyserver.db.connection-timeout"));
  }

  @Test
  void theHelidonListenerSettingComesFromTheEnvironmentToo() {
    // Helidon's listener setting, declared by the keyserver so that it has an environment variable.
    assertThat(
        ConfigLoader.load(Map.of("SERVER_MAX_PAYLOAD_SIZE", "1024"))
            .get("server.max-payload-size")
            .asLong()
            .get(),
        equalTo(1024L));
  }

  @Test
  void didResolverLimitsHaveTheirDocumentedDefaultsAndEnvironmentVariables() {
    KeyserverConfig.DidResolution defaults =
        KeyserverConfig.from(ConfigLoader.load(Map.of())).didResolution();
    assertThat(defaults.negativeTtl(), equalTo(Duration.ofMinutes(1)));
    assertThat(defaults.maxConcurrentFetches(), equalTo(64));

    KeyserverConfig.DidResolution set =
        KeyserverConfig.from(
                ConfigLoader.load(
                    Map.of(
                        "KEYSERVER_DID_CACHE_NEGATIVE_TTL", "PT0S",
                        "KEYSERVER_DID_RESOLVER_MAX_CONCURRENT_FETCHES", "8")))
            .didResolution();
    assertThat(set.negativeTtl(), equalTo(Duration.ZERO));
    assertThat(set.maxConcurrentFetches(), equalTo(8));
  }

  @Test
  void refusesANegativeNegativeTtlAndAFetchCapBelowOne() {
    IllegalStateException ttl =
        assertThrows(
            IllegalStateException.class,
            () ->
                KeyserverConfig.from(
                    ConfigLoader.load(Map.of("KEYSERVER_DID_CACHE_NEGATIVE_TTL", "-PT1S"))));
    assertThat(ttl.getMessage(), containsString("keyserver.did-cache.negative-ttl"));
    IllegalStateException cap =
        assertThrows(
            IllegalStateException.class,
            () ->
                KeyserverConfig.from(
                    ConfigLoader.load(
                        Map.of("KEYSERVER_DID_RESOLVER_MAX_CONCURRENT_FETCHES", "0"))));
    assertThat(cap.getMessage(), containsString("keyserver.did-resolver.max-concurrent-fetches"));
  }

  @Test
  void environmentNamesAreUpperCaseWithUnderscores() {
    assertThat(
        ConfigLoader.environmentName("keyserver.did-web.allow-local-hosts"),
        equalTo("KEYSERVER_DID_WEB_ALLOW_LOCAL_HOSTS"));
    assertThat(ConfigLoader.environmentName("server.port"), equalTo("SERVER_PORT"));
  }

  @Test
  void aPublicUrlOnANonDefaultPortGivesAPercentEncodedDidWeb() {
    assertThat(
        KeyserverConfig.didWebOf(URI.create("https://keys.example.org:8443/")),
        equalTo("did:web:keys.example.org%3A8443"));
    assertThat(
        KeyserverConfig.didWebOf(URI.create("http://example.org:80")),
        equalTo("did:web:example.org"));
  }

  @Test
  void secretsStayOutOfToString() {
    KeyserverConfig config =
        KeyserverConfig.from(
            ConfigLoader.load(
                Map.of(
                    "KEYSERVER_DB_URL", "jdbc:postgresql://db/keys?password=hunter2",
                    "KEYSERVER_DB_PASSWORD", "hunter2",
                    "KEYSERVER_MASTER_KEY", "{\"secret\":\"hunter2\"}")));
    assertThat(config.toString().contains("hunter2"), is(false));
  }
}
