package dev.atpkeyserver.xrpc;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;

/** Reads the atproto interop syntax vectors copied under {@code src/test/resources/interop}. */
final class Vectors {

  private Vectors() {}

  /**
   * The values in one vector file, as the upstream tests read them: no trimming, comment and empty
   * lines skipped.
   */
  static Stream<String> lines(String file) {
    try (InputStream in = Vectors.class.getResourceAsStream("/interop/" + file)) {
      if (in == null) {
        throw new IllegalStateException("Missing test resource /interop/" + file);
      }
      List<String> values =
          new String(in.readAllBytes(), StandardCharsets.UTF_8)
              .lines()
              .filter(line -> !line.isEmpty() && !line.startsWith("#"))
              .toList();
      if (values.isEmpty()) {
        throw new IllegalStateException("No vectors in " + file);
      }
      return values.stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
