package dev.atpkeyserver.server;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.startsWith;

import dev.atpkeyserver.lexicon.alpha.keypair.Rotate;
import dev.atpkeyserver.server.config.KeyserverConfig;
import dev.atpkeyserver.server.db.DatabaseSettings;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Helidon's listener settings the keyserver declares hold on the web server even when the {@code
 * server} node it is given does not carry them: their defaults come from the declarations, not from
 * a configuration file.
 */
class KeyserverListenerTest {

  private static final String ROTATE = "/xrpc/" + Rotate.NSID;

  @Test
  void theDeclaredPayloadLimitAppliesWhenNothingSetsIt(@TempDir Path dataDir) throws IOException {
    Config config = config(dataDir, Map.of());
    try (Keyserver keyserver =
        Keyserver.start(KeyserverConfig.from(config), config.get("server"))) {
      assertThat(post(keyserver.port(), 65_537), startsWith("HTTP/1.1 413"));
      assertThat(post(keyserver.port(), 65_536), startsWith("HTTP/1.1 401"));
    }
  }

  @Test
  void theConfiguredPayloadLimitAppliesThroughTheCheckedSettings(@TempDir Path dataDir)
      throws IOException {
    Config config = config(dataDir, Map.of("server.max-payload-size", "1024"));
    // Helidon is handed an empty server node: the limit can only come from KeyserverConfig.
    try (Keyserver keyserver = Keyserver.start(KeyserverConfig.from(config), Config.empty())) {
      assertThat(post(keyserver.port(), 1025), startsWith("HTTP/1.1 413"));
      assertThat(post(keyserver.port(), 1024), startsWith("HTTP/1.1 401"));
    }
  }

  private static Config config(Path dataDir, Map<String, String> more) {
    Map<String, String> values = new HashMap<>();
    values.put("server.port", "0");
    values.put("server.host", "127.0.0.1");
    values.put("keyserver.data-dir", dataDir.toString());
    values.put(
        "keyserver.db.url",
        DatabaseSettings.inMemory("listener-" + dataDir.getFileName(), 2).url());
    values.put("keyserver.plc-url", "http://127.0.0.1:9");
    values.putAll(more);
    return Config.just(ConfigSources.create(values));
  }

  /**
   * The status line of an unauthenticated POST announcing a body of {@code length} bytes: the limit
   * is checked on the announced length, before authentication (401) and before any byte of the body
   * is read.
   */
  private static String post(int port, int length) throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(5_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST "
                  + ROTATE
                  + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                  + length
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[4096];
      int read = in.read(buffer);
      return new String(buffer, 0, Math.max(read, 0), StandardCharsets.US_ASCII);
    }
  }
}
