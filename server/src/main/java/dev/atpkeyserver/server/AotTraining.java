package dev.atpkeyserver.server;

import dev.atpkeyserver.server.config.KeyserverConfig;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.logging.common.LogConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The training run behind the ahead-of-time cache the build writes next to the jar ({@code
 * server/target/atp-keyserver.aot}, JDK 25+ {@code -XX:AOTCacheOutput}): it starts the keyserver
 * the way {@link Main} does, on the embedded defaults in a scratch data directory, answers a few
 * requests, stops, and starts once more on the same directory, so the cache holds the classes of
 * both a first start (new master key, new schema) and a later one. Run with {@code -XX:AOTCache=},
 * the JVM then starts with those classes already loaded and linked.
 *
 * <p>Nothing here is used by the server itself; it reads no environment or system configuration.
 */
public final class AotTraining {

  /** Requests a start-up and a client's first calls go through. */
  private static final List<String> PATHS =
      List.of(
          "/",
          "/.well-known/did.json",
          "/xrpc/dev.atpkeyserver.alpha.keypair.getPublicKey?did=did%3Aplc%3Aaot",
          "/xrpc/dev.atpkeyserver.alpha.group.getKey?group_id=did%3Aplc%3Aaot%23followers",
          "/xrpc/dev.atpkeyserver.alpha.nope");

  private AotTraining() {}

  /** Trains two start-ups on a scratch directory, then deletes it. */
  public static void main(String[] args) throws IOException, InterruptedException {
    LogConfig.configureRuntime();
    Path dataDir = Files.createTempDirectory("keyserver-aot-training");
    try {
      for (int start = 0; start < 2; start++) {
        try (Keyserver keyserver = start(dataDir)) {
          exercise(keyserver.port());
        }
      }
    } finally {
      delete(dataDir);
    }
  }

  private static Keyserver start(Path dataDir) {
    Config config =
        Config.builder()
            .disableEnvironmentVariablesSource()
            .disableSystemPropertiesSource()
            .sources(
                List.of(
                    ConfigSources.create(
                        Map.of(
                            "server.port", "0",
                            "server.host", "127.0.0.1",
                            "keyserver.data-dir", dataDir.toString(),
                            // Nothing is resolved: the only tokens sent are malformed.
                            "keyserver.plc-url", "http://127.0.0.1:9"))))
            .build();
    return Keyserver.start(KeyserverConfig.from(config), config.get("server"));
  }

  private static void exercise(int port) throws IOException, InterruptedException {
    try (HttpClient client = HttpClient.newHttpClient()) {
      for (String path : PATHS) {
        for (String authorization : List.of("Bearer not.a.token", "")) {
          HttpRequest.Builder request =
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
          if (!authorization.isEmpty()) {
            request.header("Authorization", authorization);
          }
          client.send(request.build(), HttpResponse.BodyHandlers.discarding());
        }
      }
    }
  }

  private static void delete(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
