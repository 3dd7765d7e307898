package dev.atpkeyserver.server.crypto;

import dev.atpkeyserver.server.db.Database;
import dev.atpkeyserver.server.db.Rows;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

/**
 * Makes sure the master key is the one this database's keys were sealed with. The first start seals
 * a random value into {@code master_key_check}; every later start must be able to open it.
 */
public final class MasterKeyCheck {

  private static final String OWNER = "master-key-check";
  private static final String READ = "SELECT sealed FROM master_key_check WHERE id = 1";
  private static final String INSERT =
      "INSERT INTO master_key_check (id, sealed, created_at) VALUES (1, ?, ?) ON CONFLICT DO NOTHING";

  private MasterKeyCheck() {}

  /**
   * Verifies (or on first start records) that {@code masterKey} belongs to {@code database}.
   *
   * @throws IllegalStateException when the database was set up with another master key
   */
  public static void verify(Database database, MasterKey masterKey, Clock clock) {
    Optional<byte[]> sealed = read(database);
    if (sealed.isEmpty()) {
      byte[] canary = masterKey.sealGroupKey(KeyGenerators.xchacha20Poly1305(), OWNER, 1);
      database.execute().insert(INSERT, canary, Rows.param(clock.instant()));
      // Another instance may have won the insert: check whatever is stored now.
      sealed = read(database);
    }
    try {
      masterKey.openGroupKey(sealed.orElseThrow(), OWNER, 1);
    } catch (MasterKey.SealedKeyException e) {
      throw new IllegalStateException(
          "The master key does not match this database: its keys were sealed with another one."
              + " Configure the original master key (keyserver.master-key or"
              + " keyserver.master-key-file); starting would make every stored key unreadable.",
          e);
    }
  }

  /**
   * The master key for a deployment that configures none and has no {@code master-key.json} yet:
   * generated, but only for a database that has never sealed a key. Otherwise the file was lost or
   * moved, and writing a new key where the real one belongs would only make the mistake worse.
   *
   * @throws IllegalStateException when the database already has a master key, before writing
   */
  public static MasterKey createFirst(Database database, Path dataDir) {
    if (read(database).isPresent()) {
      throw new IllegalStateException(
          "No master key is configured and "
              + MasterKeyLoader.defaultFile(dataDir)
              + " does not exist, but this database holds keys sealed with a master key. Restore"
              + " that file (or set keyserver.master-key or keyserver.master-key-file); nothing"
              + " was written.");
    }
    return MasterKeyLoader.createDefault(dataDir);
  }

  private static Optional<byte[]> read(Database database) {
    return database.execute().get(READ).map(row -> row.column("sealed").get(byte[].class));
  }
}
