package dev.atpkeyserver.server.db;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.flywaydb.core.Flyway;

/**
 * Applies the versioned SQL files of the repository's {@code migrations/} folder (packaged as
 * {@code db/migration} on the class path) with Flyway. The same files run on H2 and PostgreSQL.
 *
 * <p>Flyway costs about a quarter of the start-up (its own classes, plugin discovery, scanning), so
 * a start on a database whose schema history already lists exactly the packaged migrations, each
 * successful and with Flyway's own checksum, skips it: there is nothing to apply or to refuse.
 * Anything else (a new database, a pending, unknown, failed or edited migration, a history this
 * check cannot read) goes through Flyway as before, which migrates under its lock or refuses.
 */
final class Migrations {

  private static final String LOCATION = "db/migration";
  private static final Pattern VERSIONED = Pattern.compile("V(\\d+)__\\w+\\.sql");

  /** Flyway's markers that it created the schema or the history table: no migration in them. */
  private static final Set<String> MARKERS = Set.of("SCHEMA", "TABLE");

  private static final String HISTORY =
      "SELECT script, checksum, success, type FROM flyway_schema_history ORDER BY installed_rank";

  private Migrations() {}

  static void apply(DatabaseSettings settings) {
    Flyway.configure()
        .dataSource(
            settings.url(), settings.username().orElse(null), settings.password().orElse(null))
        .locations("classpath:" + LOCATION)
        .validateMigrationNaming(true)
        // An unknown migration in the database means a newer server wrote it: refuse to run on it.
        // (Flyway's default, "*:future", would only warn and carry on.)
        .ignoreMigrationPatterns(new String[0])
        .load()
        .migrate();
  }

  /**
   * Whether the database's schema history is exactly the packaged migrations, in order, each
   * applied successfully from an unchanged file. False whenever that cannot be shown.
   */
  static boolean isCurrent(Connection connection) {
    Optional<List<AppliedMigration>> packaged = packaged();
    if (packaged.isEmpty() || packaged.get().isEmpty()) {
      return false;
    }
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(HISTORY)) {
      List<AppliedMigration> applied = new ArrayList<>();
      while (rows.next()) {
        if (MARKERS.contains(rows.getString("type")) && rows.getBoolean("success")) {
          continue;
        }
        int checksum = rows.getInt("checksum");
        boolean noChecksum = rows.wasNull();
        if (noChecksum || !rows.getBoolean("success") || !"SQL".equals(rows.getString("type"))) {
          return false;
        }
        applied.add(new AppliedMigration(rows.getString("script"), checksum));
      }
      return applied.equals(packaged.get());
    } catch (SQLException noHistoryYet) {
      // A new database (no history table) or one this check does not understand: Flyway decides.
      return false;
    }
  }

  /**
   * The packaged versioned migrations in version order with Flyway's checksums, or empty when the
   * folder holds anything else (or cannot be listed), which leaves the decision to Flyway.
   */
  static Optional<List<AppliedMigration>> packaged() {
    URL folder = Migrations.class.getClassLoader().getResource(LOCATION);
    if (folder == null) {
      return Optional.empty();
    }
    try {
      Optional<List<String>> names = fileNames(folder);
      if (names.isEmpty()) {
        return Optional.empty();
      }
      List<String> scripts = new ArrayList<>();
      for (String name : names.get()) {
        if (!VERSIONED.matcher(name).matches()) {
          return Optional.empty();
        }
        scripts.add(name);
      }
      scripts.sort(Comparator.comparingLong(Migrations::version));
      List<AppliedMigration> migrations = new ArrayList<>();
      for (String script : scripts) {
        migrations.add(new AppliedMigration(script, checksum(LOCATION + "/" + script)));
      }
      return Optional.of(List.copyOf(migrations));
    } catch (IOException | URISyntaxException e) {
      return Optional.empty();
    }
  }

  private static Optional<List<String>> fileNames(URL folder)
      throws IOException, URISyntaxException {
    switch (folder.getProtocol()) {
      case "jar" -> {
        // The class loader already has the jar open; listing its entries reads no file contents.
        JarURLConnection connection = (JarURLConnection) folder.openConnection();
        connection.setUseCaches(true);
        JarFile jar = connection.getJarFile();
        String prefix = LOCATION + "/";
        return Optional.of(
            jar.stream()
                .map(entry -> entry.getName())
                .filter(name -> name.startsWith(prefix) && name.length() > prefix.length())
                .map(name -> name.substring(prefix.length()))
                .toList());
      }
      case "file" -> {
        try (Stream<Path> files = Files.list(Path.of(folder.toURI()))) {
          return Optional.of(files.map(path -> path.getFileName().toString()).toList());
        }
      }
      default -> {
        return Optional.empty();
      }
    }
  }

  private static long version(String script) {
    Matcher matcher = VERSIONED.matcher(script);
    if (!matcher.matches()) {
      throw new IllegalArgumentException(script);
    }
    return Long.parseLong(matcher.group(1));
  }

  /**
   * Flyway's checksum of a SQL file: CRC32 over the UTF-8 bytes of each line without its line
   * terminator, a leading byte-order mark removed (Flyway's {@code ChecksumCalculator}).
   */
  static int checksum(String resource) {
    try (InputStream in = Migrations.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("Missing migration " + resource);
      }
      BufferedReader reader =
          new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 4096);
      CRC32 crc = new CRC32();
      String line = reader.readLine();
      if (line != null && line.startsWith("\uFEFF")) {
        line = line.substring(1);
      }
      while (line != null) {
        crc.update(line.getBytes(StandardCharsets.UTF_8));
        line = reader.readLine();
      }
      return (int) crc.getValue();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read migration " + resource, e);
    }
  }

  /**
   * One row of the schema history as this check compares it.
   *
   * @param script the file name, e.g. {@code V001__create_keypairs.sql}
   * @param checksum Flyway's checksum of its contents
   */
  record AppliedMigration(String script, int checksum) {}
}
