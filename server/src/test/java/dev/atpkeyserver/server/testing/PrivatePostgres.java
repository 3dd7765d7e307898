package dev.atpkeyserver.server.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL cluster of a test's own, in a temporary directory on a free port, so a test can stop
 * and start it without disturbing the shared PostgreSQL other tests use. Built from the newest
 * {@code /usr/lib/postgresql/<version>/bin}; {@code initdb} refuses to run as root, so as root the
 * commands run as the {@code postgres} OS user. {@link #close()} stops the cluster and deletes its
 * directory.
 *
 * <p>Where the binaries are absent the calling test is skipped, unless {@code
 * KEYSERVER_TEST_POSTGRES=required}, which makes that a failure (the rule of {@link TestDatabase}).
 */
public final class PrivatePostgres implements AutoCloseable {

  private static final Path INSTALLATIONS = Path.of("/usr/lib/postgresql");
  private static final String OS_USER = "postgres";

  private final Path bin;
  private final Path dir;
  private final int port;
  private final boolean asPostgresUser;

  private PrivatePostgres(Path bin, Path dir, int port, boolean asPostgresUser) {
    this.bin = bin;
    this.dir = dir;
    this.port = port;
    this.asPostgresUser = asPostgresUser;
  }

  /** Creates a cluster (trust authentication, superuser {@code postgres}) and starts it. */
  public static PrivatePostgres start() {
    Path bin = newestBinaries();
    boolean asRoot = "root".equals(System.getProperty("user.name"));
    Path dir;
    try {
      dir = Files.createTempDirectory("keyserver-pg");
      if (asRoot) {
        UserPrincipal postgres =
            dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(OS_USER);
        Files.setOwner(dir, postgres);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    PrivatePostgres cluster = new PrivatePostgres(bin, dir, freePort(), asRoot);
    try {
      cluster.run("initdb", "-D", cluster.dataDir(), "-U", "postgres", "-A", "trust", "-E", "UTF8");
      cluster.startServer();
      return cluster;
    } catch (RuntimeException | Error e) {
      cluster.close();
      throw e;
    }
  }

  /** The JDBC URL of the cluster's {@code postgres} database. */
  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
  }

  /** The superuser to connect as (no password). */
  public String user() {
    return "postgres";
  }

  /** Starts the stopped cluster; returns once it accepts connections. */
  public void startServer() {
    run(
        "pg_ctl",
        "-D",
        dataDir(),
        "-l",
        dir.resolve("server.log").toString(),
        "-w",
        "-t",
        "30",
        // Loopback only; the socket in our own directory, not the shared cluster's. fsync off:
        // a stop, even "immediate", kills processes, not the machine, so the page cache survives
        // and what this cluster loses is what PostgreSQL itself loses, at a fraction of the I/O.
        "-o",
        "-p "
            + port
            + " -c listen_addresses=127.0.0.1 -k "
            + dir
            + " -c fsync=off -c max_connections=60",
        "start");
  }

  /**
   * Stops the cluster: {@code fast} ends sessions with an error and checkpoints; {@code immediate}
   * kills the server processes outright, like a crash, and the next start recovers from the WAL.
   */
  public void stopServer(String mode) {
    run("pg_ctl", "-D", dataDir(), "-m", mode, "-w", "-t", "30", "stop");
  }

  /** Whether the cluster accepts a connection now. */
  public boolean acceptsConnections() {
    try {
      DriverManager.getConnection(jdbcUrl(), user(), null).close();
      return true;
    } catch (SQLException e) {
      return false;
    }
  }

  /** The server log, for diagnostics. */
  public String serverLog() {
    try {
      return Files.readString(dir.resolve("server.log"));
    } catch (IOException e) {
      return "(no server log: " + e + ")";
    }
  }

  private String dataDir() {
    return dir.resolve("data").toString();
  }

  private void run(String tool, String... args) {
    List<String> command = new ArrayList<>();
    if (asPostgresUser) {
      command.addAll(List.of("runuser", "-u", OS_USER, "--"));
    }
    command.add(bin.resolve(tool).toString());
    command.addAll(List.of(args));
    try {
      Process process =
          new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
      // pg_ctl's children keep no handle on our pipe (-l sends the server's output to a file).
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        process.destroyForcibly();
        throw new IllegalStateException(
            String.join(" ", command) + " failed:\n" + output + "\n" + serverLog());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Stops the cluster if it runs (immediately: its data is thrown away) and deletes it. */
  @Override
  public void close() {
    try {
      if (Files.exists(dir.resolve("data").resolve("postmaster.pid"))) {
        stopServer("immediate");
      }
    } finally {
      deleteRecursively(dir);
    }
  }

  private static Path newestBinaries() {
    Optional<Path> bin = Optional.empty();
    if (Files.isDirectory(INSTALLATIONS)) {
      try (Stream<Path> versions = Files.list(INSTALLATIONS)) {
        bin =
            versions
                .filter(v -> v.getFileName().toString().matches("\\d+(\\.\\d+)?"))
                .filter(v -> Files.isExecutable(v.resolve("bin").resolve("initdb")))
                .max(
                    Comparator.comparingDouble(v -> Double.parseDouble(v.getFileName().toString())))
                .map(v -> v.resolve("bin"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    if (bin.isEmpty()) {
      String missing = "No PostgreSQL binaries under " + INSTALLATIONS + "/<version>/bin";
      if ("required".equals(System.getenv("KEYSERVER_TEST_POSTGRES"))) {
        fail(missing + ", and KEYSERVER_TEST_POSTGRES=required");
      }
      assumeTrue(false, missing + "; skipping");
    }
    return bin.orElseThrow();
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteRecursively(Path root) {
    try (Stream<Path> files = Files.walk(root)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
