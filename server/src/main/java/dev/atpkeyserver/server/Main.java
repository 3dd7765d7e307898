package dev.atpkeyserver.server;

import dev.atpkeyserver.server.config.ConfigLoader;
import dev.atpkeyserver.server.config.KeyserverConfig;
import io.helidon.config.Config;
import io.helidon.logging.common.LogConfig;

/** Starts the keyserver with configuration from system properties, environment and YAML. */
public final class Main {

  private Main() {}

  /**
   * Starts the server and stops it gracefully on SIGTERM/SIGINT: in-flight requests finish, then
   * the database pool closes.
   */
  public static void main(String[] args) {
    LogConfig.configureRuntime();
    Config config = ConfigLoader.load();
    Keyserver keyserver = Keyserver.start(KeyserverConfig.from(config), config.get("server"));
    Runtime.getRuntime().addShutdownHook(new Thread(keyserver::close, "keyserver-shutdown"));
  }
}
