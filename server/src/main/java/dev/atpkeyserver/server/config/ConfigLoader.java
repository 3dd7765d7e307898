package dev.atpkeyserver.server.config;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds the server's {@link Config} from its sources, highest priority first: Java system
 * properties, environment variables, an optional {@code application.yaml} in the working directory,
 * and the defaults in the packaged {@code application.yaml}.
 *
 * <p>Helidon's own environment-variable source maps {@code KEYSERVER_PLC_URL} to {@code
 * keyserver.plc.url}, which is not our key {@code keyserver.plc-url}. Operators expect the plain
 * upper-case form, so every documented key is mapped explicitly: upper case, with {@code .} and
 * {@code -} replaced by {@code _}.
 */
public final class ConfigLoader {

  /**
   * Every configuration key an operator may set; the table in {@code docs/operations.md} lists the
   * same keys (ConfigReferenceTest checks it).
   */
  public static final List<String> KEYS =
      List.of(
          "server.port",
          "server.host",
          "server.max-payload-size",
          "keyserver.public-url",
          "keyserver.service-did",
          "keyserver.plc-url",
          "keyserver.data-dir",
          "keyserver.db.url",
          "keyserver.db.username",
          "keyserver.db.password",
          "keyserver.db.pool-size",
          "keyserver.db.lock-timeout",
          "keyserver.db.connection-timeout",
          "keyserver.did-web.allow-local-hosts",
          "keyserver.did-resolver.timeout",
          "keyserver.did-resolver.max-concurrent-fetches",
          "keyserver.did-cache.stale-ttl",
          "keyserver.did-cache.max-ttl",
          "keyserver.did-cache.max-entries",
          "keyserver.did-cache.min-refresh-interval",
          "keyserver.did-cache.forced-refresh-burst",
          "keyserver.did-cache.negative-ttl",
          "keyserver.trusted-proxies",
          "keyserver.master-key",
          "keyserver.master-key-file",
          "keyserver.require-private-files",
          "keyserver.access-log.retention",
          "keyserver.key-cache.enabled",
          "keyserver.key-cache.max-entries",
          "keyserver.rate-limit.enabled",
          "keyserver.rate-limit.public.requests",
          "keyserver.rate-limit.public.window",
          "keyserver.rate-limit.authenticated.requests",
          "keyserver.rate-limit.authenticated.window",
          "keyserver.rate-limit.rotation.requests",
          "keyserver.rate-limit.rotation.window",
          "keyserver.rate-limit.membership.requests",
          "keyserver.rate-limit.membership.window");

  private ConfigLoader() {}

  /** Loads configuration from the process's system properties and environment. */
  public static Config load() {
    return load(System.getenv());
  }

  /** Loads configuration with the given environment (tests pass their own). */
  public static Config load(Map<String, String> environment) {
    return Config.builder()
        .disableEnvironmentVariablesSource()
        .disableSystemPropertiesSource()
        .sources(
            List.of(
                ConfigSources.systemProperties(),
                ConfigSources.create(fromEnvironment(environment)),
                ConfigSources.file("application.yaml").optional(),
                ConfigSources.classpath("application.yaml")))
        .build();
  }

  /** The environment variable that overrides {@code key}, e.g. {@code KEYSERVER_PLC_URL}. */
  public static String environmentName(String key) {
    return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  static Map<String, String> fromEnvironment(Map<String, String> environment) {
    Map<String, String> values = new HashMap<>();
    for (String key : KEYS) {
      String value = environment.get(environmentName(key));
      if (value != null) {
        values.put(key, value);
      }
    }
    return values;
  }
}
