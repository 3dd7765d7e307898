package dev.atpkeyserver.server.files;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Files only their owner may read: the data folder (the embedded database holds every sealed key)
 * and the master key file. New ones are created owner-only; existing ones that others can reach are
 * reported at start-up, or refused when the operator asks for that. On a file system without POSIX
 * permissions nothing is checked or changed.
 */
public final class PrivateFiles {

  private static final System.Logger LOG = System.getLogger(PrivateFiles.class.getName());

  private static final Set<PosixFilePermission> NOT_THE_OWNER =
      EnumSet.complementOf(
          EnumSet.of(
              PosixFilePermission.OWNER_READ,
              PosixFilePermission.OWNER_WRITE,
              PosixFilePermission.OWNER_EXECUTE));

  private PrivateFiles() {}

  /** Creates {@code directory} (and missing parents) as {@code rwx------} if it does not exist. */
  public static void createDirectory(Path directory) {
    if (Files.isDirectory(directory)) {
      return;
    }
    try {
      Files.createDirectories(directory);
      restrictToOwner(directory, "rwx------");
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create " + directory, e);
    }
  }

  /** Makes an existing file {@code rw-------}. */
  public static void restrictFileToOwner(Path file) {
    try {
      restrictToOwner(file, "rw-------");
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot restrict the permissions of " + file, e);
    }
  }

  /**
   * Checks that no one but the owner can reach the given paths (those that exist).
   *
   * @param paths the data folder, the master key file
   * @param refuse whether an exposed path stops start-up instead of being warned about
   * @throws IllegalStateException when {@code refuse} and a path is exposed
   */
  public static void checkOwnerOnly(List<Path> paths, boolean refuse) {
    for (Path path : paths) {
      Optional<String> exposed = exposure(path);
      if (exposed.isEmpty()) {
        continue;
      }
      String problem =
          path.toAbsolutePath()
              + " is "
              + exposed.get()
              + ": anyone with an account on this machine can read what it holds. Run chmod "
              + (Files.isDirectory(path) ? "700" : "600")
              + " on it.";
      if (refuse) {
        throw new IllegalStateException(
            problem + " (Refused: keyserver.require-private-files is true.)");
      }
      LOG.log(Level.WARNING, problem);
    }
  }

  /**
   * How others can reach the path, e.g. {@code "rw-r--r--"}; empty when only its owner can, when it
   * does not exist, or where the file system has no POSIX permissions.
   */
  static Optional<String> exposure(Path path) {
    try {
      // Links are followed: what matters is who can read the file a link leads to.
      Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path);
      if (permissions.stream().noneMatch(NOT_THE_OWNER::contains)) {
        return Optional.empty();
      }
      return Optional.of("open to others (" + PosixFilePermissions.toString(permissions) + ")");
    } catch (UnsupportedOperationException | IOException notPosixOrMissing) {
      return Optional.empty();
    }
  }

  private static void restrictToOwner(Path path, String permissions) throws IOException {
    try {
      Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
    } catch (UnsupportedOperationException notPosix) {
      // Not a POSIX file system: rely on the operator's own access control.
    }
  }
}
