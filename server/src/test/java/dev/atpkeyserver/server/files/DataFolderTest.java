package dev.atpkeyserver.server.files;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.atpkeyserver.server.Keyserver;
import dev.atpkeyserver.server.config.KeyserverConfig;
import dev.atpkeyserver.server.crypto.MasterKey;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded defaults keep their secrets owner-only: the data folder, the generated master key
 * and the H2 files; a folder or key file others can read is reported, or refused on request; and a
 * lost master key file next to an existing database stops start-up before anything is written.
 */
class DataFolderTest {

  @Test
  void aFirstStartCreatesTheFolderTheKeyAndTheDatabaseOwnerOnly(@TempDir Path parent) {
    Path dataDir = parent.resolve("data");

    start(dataDir, Map.of()).close();

    assertThat(permissions(dataDir), equalTo("rwx------"));
    assertThat(permissions(dataDir.resolve("master-key.json")), equalTo("rw-------"));
    assertThat(permissions(dataDir.resolve("keyserver.mv.db")), equalTo("rw-------"));
    try (Stream<Path> files = Files.list(dataDir)) {
      files.forEach(file -> assertThat(file.toString(), permissions(file), equalTo("rw-------")));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void aLostMasterKeyFileNextToAnExistingDatabaseStopsStartUpAndWritesNothing(@TempDir Path parent)
      throws IOException {
    Path dataDir = parent.resolve("data");
    start(dataDir, Map.of()).close();
    Files.delete(dataDir.resolve("master-key.json"));

    IllegalStateException refused =
        assertThrows(IllegalStateException.class, () -> start(dataDir, Map.of()));

    assertThat(refused.getMessage(), containsString("master-key.json does not exist"));
    assertThat(Files.exists(dataDir.resolve("master-key.json")), equalTo(false));
    try (Stream<Path> files = Files.list(dataDir)) {
      assertThat(
          files.map(Path::getFileName).map(Path::toString).toList(),
          not(hasItem(containsString("master-key"))));
    }
  }

  @Test
  void aDataFolderOthersCanReadIsReportedAndRefusedOnRequest(@TempDir Path parent)
      throws IOException {
    Path dataDir = parent.resolve("data");
    start(dataDir, Map.of()).close();
    Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwxr-xr-x"));

    List<String> warnings = warningsDuring(() -> start(dataDir, Map.of()).close());
    IllegalStateException refused =
        assertThrows(
            IllegalStateException.class,
            () -> start(dataDir, Map.of("keyserver.require-private-files", "true")));

    assertThat(warnings, hasItem(containsString(dataDir + " is open to others (rwxr-xr-x)")));
    assertThat(refused.getMessage(), containsString("open to others"));
  }

  @Test
  void aMasterKeyFileOthersCanReadIsReportedAndRefusedOnRequest(@TempDir Path dir)
      throws Exception {
    Path keyFile = dir.resolve("master.json");
    Files.writeString(keyFile, MasterKey.generateJson());
    Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-r--r--"));
    Map<String, String> settings = Map.of("keyserver.master-key-file", keyFile.toString());

    List<String> warnings = warningsDuring(() -> start(dir.resolve("data"), settings).close());
    Map<String, String> strict = new HashMap<>(settings);
    strict.put("keyserver.require-private-files", "true");
    assertThrows(IllegalStateException.class, () -> start(dir.resolve("data"), strict));

    assertThat(warnings, hasItem(containsString(keyFile + " is open to others (rw-r--r--)")));
  }

  private static Keyserver start(Path dataDir, Map<String, String> extra) {
    Map<String, String> values = new HashMap<>();
    values.put("server.port", "0");
    values.put("server.host", "127.0.0.1");
    values.put("keyserver.data-dir", dataDir.toString());
    values.put("keyserver.plc-url", "http://127.0.0.1:9");
    values.putAll(extra);
    Config config = Config.just(ConfigSources.create(values));
    return Keyserver.start(KeyserverConfig.from(config), config.get("server"));
  }

  private static String permissions(Path path) {
    try {
      return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static List<String> warningsDuring(Runnable action) {
    Logger logger = Logger.getLogger(PrivateFiles.class.getName());
    List<String> warnings = new ArrayList<>();
    Handler capture =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
              warnings.add(record.getMessage());
            }
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    logger.addHandler(capture);
    try {
      action.run();
    } finally {
      logger.removeHandler(capture);
    }
    return warnings;
  }
}
