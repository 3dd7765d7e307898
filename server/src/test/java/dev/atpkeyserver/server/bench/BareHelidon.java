package dev.atpkeyserver.server.bench;

import dev.atpkeyserver.server.api.MetadataService;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http1.Http1Config;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The yardstick of W0 in {@code bench/run.sh}: a Helidon web server with the keyserver's {@code GET
 * /} handler ({@link MetadataService}, the same JSON body and {@code Content-Type}) and the same
 * HTTP/1 settings, but nothing else: no filters (request id, metrics, request log, rate limits), no
 * feature (observe, found on the class path or not), no error handlers. W1 ({@code GET /} on the
 * keyserver) divided by W0 is what the filters every request passes cost.
 *
 * <p>Usage: {@code BareHelidon <port file> <version>}; it listens on a free loopback port, writes
 * it to the port file, and serves until killed.
 */
public final class BareHelidon {

  private BareHelidon() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      throw new IllegalArgumentException("usage: BareHelidon <port file> <version>");
    }
    WebServer server =
        WebServer.builder()
            .host("127.0.0.1")
            .port(0)
            // Nothing found on the class path either: Helidon would otherwise add the observe
            // feature (metrics and its filter on every request) from the test class path.
            .featuresDiscoverServices(false)
            // As in Keyserver.start: the same prologue and header limits, the same validation.
            .addProtocol(
                Http1Config.builder()
                    .validatePrologue(false)
                    .maxPrologueLength(8192)
                    .maxHeadersSize(16384)
                    .build())
            .routing(routing -> routing.register("/", new MetadataService(args[1])))
            .build()
            .start();
    Path portFile = Path.of(args[0]);
    Path temporary = portFile.resolveSibling(portFile.getFileName() + ".tmp");
    Files.writeString(temporary, server.port() + "\n", StandardCharsets.US_ASCII);
    Files.move(temporary, portFile, StandardCopyOption.ATOMIC_MOVE);
  }
}
