package dev.atpkeyserver.server.testing;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The public interop vectors in {@code shared/vectors}, which sits beside the repository (CI clones
 * the repository with {@code shared/} next to it).
 */
public final class SharedVectors {

  private SharedVectors() {}

  /** The vectors folder, found from the module or repository directory. */
  public static Path dir() {
    Path here = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    for (Path candidate = here; candidate != null; candidate = candidate.getParent()) {
      Path vectors = candidate.resolveSibling("shared").resolve("vectors");
      if (Files.isDirectory(vectors)) {
        return vectors;
      }
    }
    throw new IllegalStateException(
        "shared/vectors not found beside the repository (from " + here + ")");
  }

  /** Parses one JSON vector file. */
  public static JsonObject json(String fileName) {
    try (JsonReader reader = Json.createReader(Files.newBufferedReader(dir().resolve(fileName)))) {
      return reader.readObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
