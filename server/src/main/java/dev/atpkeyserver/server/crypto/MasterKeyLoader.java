package dev.atpkeyserver.server.crypto;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.util.Optional;

/**
 * Finds the master key: inline ({@code keyserver.master-key}, usually from the environment variable
 * {@code KEYSERVER_MASTER_KEY}), from a file ({@code keyserver.master-key-file}), or, when neither
 * is set, from {@code master-key.json} in the data directory, generated there on first run with
 * owner-only permissions.
 */
public final class MasterKeyLoader {

  private static final System.Logger LOG = System.getLogger(MasterKeyLoader.class.getName());
  static final String DEFAULT_FILE_NAME = "master-key.json";

  private MasterKeyLoader() {}

  /**
   * Loads (or on first run creates) the master key.
   *
   * @param inline a Tink JSON keyset given directly
   * @param file a file holding a Tink JSON keyset
   * @param dataDir where the generated default lives
   */
  public static MasterKey load(Optional<String> inline, Optional<Path> file, Path dataDir) {
    try {
      if (inline.isPresent()) {
        LOG.log(Level.INFO, "Master key: from configuration (keyserver.master-key)");
        return MasterKey.fromJson(inline.get());
      }
      if (file.isPresent()) {
        LOG.log(Level.INFO, "Master key: from file {0}", file.get().toAbsolutePath());
        return MasterKey.fromJson(Files.readString(file.get(), StandardCharsets.UTF_8));
      }
      return MasterKey.fromJson(
          readOrCreateDefault(dataDir.toAbsolutePath().normalize().resolve(DEFAULT_FILE_NAME)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("The master key is not a valid Tink AEAD keyset", e);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the master key", e);
    }
  }

  private static String readOrCreateDefault(Path path)
      throws IOException, GeneralSecurityException {
    if (Files.exists(path)) {
      LOG.log(Level.INFO, "Master key: from {0}", path.toAbsolutePath());
      return Files.readString(path, StandardCharsets.UTF_8);
    }
    Files.createDirectories(path.toAbsolutePath().getParent());
    String json = MasterKey.generateJson();
    // Written in full to a private temporary file, then linked into place: the link fails if
    // another process got there first, and nobody ever sees a half-written key.
    Path temporary = Files.createTempFile(path.toAbsolutePath().getParent(), ".master-key", ".tmp");
    try {
      restrictToOwner(temporary);
      Files.writeString(temporary, json, StandardCharsets.UTF_8);
      Files.createLink(path, temporary);
    } catch (FileAlreadyExistsException raced) {
      // Never overwrite a master key: use the one that won.
      return Files.readString(path, StandardCharsets.UTF_8);
    } finally {
      Files.deleteIfExists(temporary);
    }
    LOG.log(
        Level.WARNING,
        "Master key: generated a new one at {0} (owner-only permissions). Every stored private and"
            + " group key is sealed with it: back it up and keep it apart from database backups."
            + " Without it, no stored key can be recovered.",
        path.toAbsolutePath());
    return json;
  }

  private static void restrictToOwner(Path path) throws IOException {
    try {
      Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException notPosix) {
      // Not a POSIX file system: rely on the data directory's own permissions.
    }
  }
}
