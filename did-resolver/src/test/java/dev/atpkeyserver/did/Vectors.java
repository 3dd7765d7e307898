package dev.atpkeyserver.did;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The shared interop vectors. The repository root is this module's parent directory, and the
 * vectors live beside the repository at {@code <root>/../shared/vectors}; that holds in this
 * checkout and in a CI clone. Missing vectors fail the test rather than skip it.
 */
final class Vectors {

  private Vectors() {}

  static Path directory() {
    // Surefire sets basedir to the module directory; an IDE may run from the module or the root.
    Path start = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
    List<Path> candidates =
        List.of(
            start.resolve("..").resolve("../shared/vectors"), // start = module directory
            start.resolve("../shared/vectors")); // start = repository root
    for (Path candidate : candidates) {
      if (Files.isDirectory(candidate)) {
        return candidate.normalize();
      }
    }
    throw new IllegalStateException("shared/vectors not found; looked at " + candidates);
  }

  /** The values of a syntax file: one per line, without blank lines and {@code #} comments. */
  static List<String> lines(String fileName) {
    try {
      List<String> values = new ArrayList<>();
      for (String line : Files.readAllLines(directory().resolve(fileName))) {
        if (!line.isBlank() && !line.startsWith("#")) {
          values.add(line);
        }
      }
      return values;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonArray jsonArray(String fileName) {
    try (JsonReader reader =
        Json.createReader(Files.newBufferedReader(directory().resolve(fileName)))) {
      return reader.readArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
