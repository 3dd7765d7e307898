package dev.atpkeyserver.server.files;

import dev.atpkeyserver.server.config.KeyserverConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The data folder ({@code keyserver.data-dir}): the embedded database and the generated master key
 * live there, so it and they are owner-only.
 */
public final class DataFolder {

  private DataFolder() {}

  /**
   * Before start-up writes anything: creates the data folder owner-only when it is used, and
   * reports (or refuses, with {@code keyserver.require-private-files}) a data folder or master key
   * file that others can read.
   *
   * @param defaultMasterKeyFile where the generated master key lives, read when none is configured
   */
  public static void prepare(KeyserverConfig config, Path defaultMasterKeyFile) {
    boolean defaultMasterKey =
        config.masterKey().inline().isEmpty() && config.masterKey().file().isEmpty();
    List<Path> secrets = new ArrayList<>();
    if (config.database().isEmbeddedFile() || defaultMasterKey) {
      PrivateFiles.createDirectory(config.dataDir());
      secrets.add(config.dataDir());
    }
    if (defaultMasterKey) {
      secrets.add(defaultMasterKeyFile);
    }
    config.masterKey().file().ifPresent(secrets::add);
    PrivateFiles.checkOwnerOnly(secrets, config.requirePrivateFiles());
  }

  /** H2 creates its files with the process's umask; they hold every sealed key: owner-only. */
  public static void restrictDatabaseFiles(KeyserverConfig config) {
    if (!config.database().isEmbeddedFile()) {
      return;
    }
    try (Stream<Path> files = Files.list(config.dataDir())) {
      files
          .filter(file -> file.getFileName().toString().startsWith("keyserver."))
          .forEach(PrivateFiles::restrictFileToOwner);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list " + config.dataDir(), e);
    }
  }
}
