package dev.atpkeyserver.server.bench;

import dev.atpkeyserver.server.testing.KeyserverExtension;
import dev.atpkeyserver.server.testing.SlowClients;
import dev.atpkeyserver.server.testing.TestDatabase;
import java.time.Duration;
import java.util.Map;

/**
 * How long a keyserver with its packaged connection settings lets slow clients hold connections:
 * for each {@link SlowClients.Shape}, {@code connections} loopback connections trickling a byte a
 * second, watched for {@code seconds}. Ends by itself.
 *
 * <p>Usage (after {@code mvn -o -pl server -am test-compile} and {@code dependency:build-classpath
 * -Dmdep.includeScope=test -Dmdep.outputFile=target/cp.txt} in {@code server}): {@code java -cp
 * server/target/test-classes:server/target/classes:$(cat server/target/cp.txt)
 * dev.atpkeyserver.server.bench.SlowClientsProbe [connections, default 300] [seconds, default 30]}.
 */
public final class SlowClientsProbe {

  private SlowClientsProbe() {}

  public static void main(String[] args) throws Exception {
    int connections = args.length > 0 ? Integer.parseInt(args[0]) : 300;
    Duration window = Duration.ofSeconds(args.length > 1 ? Long.parseLong(args[1]) : 30);
    KeyserverExtension servers = new KeyserverExtension(Map.of());
    try {
      int port = servers.on(TestDatabase.H2).baseUri().getPort();
      for (SlowClients.Shape shape : SlowClients.Shape.values()) {
        System.out.println(
            SlowClients.run(port, shape, connections, Duration.ofSeconds(1), window));
      }
    } finally {
      servers.afterAll(null);
    }
  }
}
