package dev.atpkeyserver.server.db;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.atpkeyserver.server.testing.EachDatabase;
import dev.atpkeyserver.server.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.flywaydb.core.api.FlywayException;

/**
 * The start-up shortcut past Flyway: taken only when the schema history is exactly the packaged
 * migrations; every other database still goes through Flyway, which migrates or refuses.
 */
class MigrationsTest {

  /** Ends a statement in a migration file (none of ours has a semicolon inside one). */
  private static final Pattern STATEMENT_END = Pattern.compile(";");

  @EachDatabase
  void checksumsAreTheOnesFlywayRecords(TestDatabase db) throws SQLException {
    TestDatabase.Fresh fresh = db.create();
    try (Connection connection = connect(fresh)) {
      assertThat("a new database is not current", Migrations.isCurrent(connection), is(false));
      Migrations.apply(fresh.settings());

      List<Migrations.AppliedMigration> recorded = new ArrayList<>();
      try (Statement statement = connection.createStatement();
          ResultSet rows =
              statement.executeQuery(
                  "SELECT script, checksum FROM flyway_schema_history WHERE type = 'SQL'"
                      + " ORDER BY installed_rank")) {
        while (rows.next()) {
          recorded.add(
              new Migrations.AppliedMigration(rows.getString("script"), rows.getInt("checksum")));
        }
      }
      assertThat(recorded, equalTo(Migrations.packaged().orElseThrow()));
      assertThat(Migrations.isCurrent(connection), is(true));
    } finally {
      fresh.drop();
    }
  }

  @EachDatabase
  void aCurrentDatabaseOpensAgainWithItsHistoryUnchanged(TestDatabase db) throws SQLException {
    TestDatabase.Fresh fresh = db.create();
    try (Connection connection = connect(fresh)) {
      Database.open(fresh.settings()).close();
      List<String> before = history(connection);
      Database.open(fresh.settings()).close();
      assertThat(history(connection), equalTo(before));
      assertThat(before.isEmpty(), is(false));
    } finally {
      fresh.drop();
    }
  }

  @EachDatabase
  void anUnknownNewerMigrationIsRefused(TestDatabase db) throws SQLException {
    assertTamperedHistoryIsRefused(
        db,
        "INSERT INTO flyway_schema_history (installed_rank, version, description, type, script,"
            + " checksum, installed_by, execution_time, success) VALUES (999, '999', 'from a newer"
            + " server', 'SQL', 'V999__from_a_newer_server.sql', 1, 'test', 1, TRUE)");
  }

  @EachDatabase
  void aFailedMigrationIsRefused(TestDatabase db) throws SQLException {
    assertTamperedHistoryIsRefused(
        db,
        "UPDATE flyway_schema_history SET success = FALSE WHERE installed_rank ="
            + " (SELECT MAX(installed_rank) FROM flyway_schema_history)");
  }

  @EachDatabase
  void anEditedMigrationIsRefused(TestDatabase db) throws SQLException {
    assertTamperedHistoryIsRefused(
        db,
        "UPDATE flyway_schema_history SET checksum = checksum + 1"
            + " WHERE script = 'V001__create_keypairs.sql'");
  }

  @EachDatabase
  void aPendingMigrationIsApplied(TestDatabase db) throws SQLException, IOException {
    TestDatabase.Fresh fresh = db.create();
    try (Connection connection = connect(fresh)) {
      Database.open(fresh.settings()).close();
      // As if the last migration had arrived with this release: undone and forgotten. It created
      // the device tables and rebuilt the access log, which goes back to V003's shape.
      for (String table :
          List.of(
              "device_one_time_prekeys",
              "device_signed_prekeys",
              "devices",
              "device_owners",
              "access_logs")) {
        execute(connection, "DROP TABLE " + table);
      }
      String v003 =
          Files.readString(
                  Path.of(
                      System.getProperty("user.dir"), "../migrations/V003__create_access_logs.sql"))
              .replaceAll("(?m)--.*$", "");
      List<String> statements =
          STATEMENT_END.splitAsStream(v003).filter(sql -> !sql.isBlank()).toList();
      for (String statement : statements) {
        execute(connection, statement);
      }
      execute(
          connection,
          "DELETE FROM flyway_schema_history WHERE script = 'V005__create_devices.sql'");
      assertThat(Migrations.isCurrent(connection), is(false));
      Database.open(fresh.settings()).close();
      assertThat(Migrations.isCurrent(connection), is(true));
      execute(connection, "SELECT COUNT(*) FROM device_one_time_prekeys");
      execute(connection, "SELECT COUNT(device_id) FROM access_logs");
    } finally {
      fresh.drop();
    }
  }

  @EachDatabase
  void packagedMigrationsAreExactlyTheMigrationsFolder(TestDatabase ignored) throws IOException {
    List<String> folder;
    try (Stream<Path> files =
        Files.list(Path.of(System.getProperty("user.dir"), "../migrations"))) {
      folder = files.map(path -> path.getFileName().toString()).sorted().toList();
    }
    List<String> packaged =
        Migrations.packaged().orElseThrow().stream()
            .map(Migrations.AppliedMigration::script)
            .toList();
    assertThat(packaged, equalTo(folder));
  }

  /**
   * A migrated database whose history {@code tampering} then changes is no longer current, and
   * opening it fails in Flyway rather than being skipped.
   */
  private static void assertTamperedHistoryIsRefused(TestDatabase db, String tampering)
      throws SQLException {
    TestDatabase.Fresh fresh = db.create();
    try (Connection connection = connect(fresh)) {
      Database.open(fresh.settings()).close();
      execute(connection, tampering);
      assertThat(Migrations.isCurrent(connection), is(false));
      assertThrows(FlywayException.class, () -> Database.open(fresh.settings()));
    } finally {
      fresh.drop();
    }
  }

  private static Connection connect(TestDatabase.Fresh fresh) throws SQLException {
    DatabaseSettings settings = fresh.settings();
    return DriverManager.getConnection(
        settings.url(), settings.username().orElse(null), settings.password().orElse(null));
  }

  private static List<String> history(Connection connection) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Statement statement = connection.createStatement();
        ResultSet result =
            statement.executeQuery(
                "SELECT installed_rank, script, checksum, success, installed_on"
                    + " FROM flyway_schema_history ORDER BY installed_rank")) {
      while (result.next()) {
        rows.add(
            result.getInt(1)
                + " "
                + result.getString(2)
                + " "
                + result.getInt(3)
                + " "
                + result.getBoolean(4)
                + " "
                + result.getTimestamp(5));
      }
    }
    return rows;
  }

  private static void execute(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }
}
