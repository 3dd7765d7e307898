package dev.atpkeyserver.server.db;

import org.flywaydb.core.Flyway;

/**
 * Applies the versioned SQL files of the repository's {@code migrations/} folder (packaged as
 * {@code db/migration} on the class path) with Flyway. The same files run on H2 and PostgreSQL.
 */
final class Migrations {

  private Migrations() {}

  static void apply(DatabaseSettings settings) {
    Flyway.configure()
        .dataSource(
            settings.url(), settings.username().orElse(null), settings.password().orElse(null))
        .locations("classpath:db/migration")
        // An unknown migration in the database means a newer server wrote it: refuse to run on it.
        .validateMigrationNaming(true)
        .load()
        .migrate();
  }
}
