package dev.atpkeyserver.server.config;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the server's {@link Config} from its sources, highest priority first: Java system
 * properties, environment variables, and an optional {@code application.yaml} in the working
 * directory. Defaults are not a source: each {@link Setting} applies its own when {@link
 * KeyserverConfig} reads it, so they hold whichever way a {@code Config} was built.
 *
 * <p>Helidon's own environment-variable source maps {@code KEYSERVER_PLC_URL} to {@code
 * keyserver.plc.url}, which is not our key {@code keyserver.plc-url}. Operators expect the plain
 * upper-case form, so the variable of every declared setting ({@link Settings#ALL}) is mapped
 * explicitly: upper case, with {@code .} and {@code -} replaced by {@code _}.
 */
public final class ConfigLoader {

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
                ConfigSources.file("application.yaml").optional()))
        .build();
  }

  /** The environment variable that overrides {@code key}, e.g. {@code KEYSERVER_PLC_URL}. */
  public static String environmentName(String key) {
    return Setting.environmentName(key);
  }

  static Map<String, String> fromEnvironment(Map<String, String> environment) {
    Map<String, String> values = new HashMap<>();
    for (Setting<?> setting : Settings.ALL) {
      String value = environment.get(setting.environmentVariable());
      if (value != null) {
        values.put(setting.key(), value);
      }
    }
    return values;
  }
}
