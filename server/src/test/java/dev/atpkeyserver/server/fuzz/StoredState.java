package dev.atpkeyserver.server.fuzz;

import dev.atpkeyserver.server.db.DatabaseSettings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything the keyserver stores, as comparable text: every row of the key, group, membership and
 * device tables, and the size and newest id of the access log. Two snapshots are equal when a
 * request changed nothing.
 */
record StoredState(Map<String, List<String>> tables) {

  /** Full rows: a refused request must not touch a single column of these. */
  private static final List<String> TABLES =
      List.of(
          "keypair_owners",
          "keypair_versions",
          "key_groups",
          "group_key_versions",
          "group_members",
          "device_owners",
          "devices",
          "device_signed_prekeys",
          "device_one_time_prekeys",
          "master_key_check");

  /**
   * Reads the tables over its own connection, outside the server's pool, in one statement: the
   * columns are found once, so columns added by later migrations are compared too.
   */
  static final class Reader implements AutoCloseable {
    private final Connection connection;
    private final String snapshotSql;

    Reader(DatabaseSettings settings) throws SQLException {
      connection =
          DriverManager.getConnection(
              settings.url(), settings.username().orElse(null), settings.password().orElse(null));
      List<String> selects = new ArrayList<>();
      try (Statement statement = connection.createStatement()) {
        for (String table : TABLES) {
          selects.add(
              "SELECT '" + table + "' AS t, " + rowText(statement, table) + " AS r FROM " + table);
        }
      }
      selects.add(
          "SELECT 'access_logs' AS t, CAST(COUNT(*) AS VARCHAR) || '|' ||"
              + " CAST(COALESCE(MAX(id), 0) AS VARCHAR) AS r FROM access_logs");
      snapshotSql = String.join(" UNION ALL ", selects) + " ORDER BY 1, 2";
    }

    /** {@code col1 || '|' || col2 ...}, each column as text ({@code ~} for NULL). */
    private static String rowText(Statement statement, String table) throws SQLException {
      List<String> columns = new ArrayList<>();
      try (ResultSet empty = statement.executeQuery("SELECT * FROM " + table + " WHERE 1 = 0")) {
        ResultSetMetaData meta = empty.getMetaData();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
          columns.add("COALESCE(CAST(" + meta.getColumnName(i) + " AS VARCHAR), '~')");
        }
      }
      return String.join(" || '|' || ", columns);
    }

    StoredState read() {
      Map<String, List<String>> tables = new LinkedHashMap<>();
      try (Statement statement = connection.createStatement();
          ResultSet result = statement.executeQuery(snapshotSql)) {
        while (result.next()) {
          tables
              .computeIfAbsent(result.getString(1), t -> new ArrayList<>())
              .add(result.getString(2));
        }
      } catch (SQLException e) {
        throw new IllegalStateException("Could not read the stored state", e);
      }
      return new StoredState(tables);
    }

    @Override
    public void close() throws SQLException {
      connection.close();
    }
  }
}
