package dev.atpkeyserver.server.observe;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.List;

/** The samples of a Prometheus text exposition, looked up by name and label pairs. */
final class Samples {

  private final List<String> lines;

  private Samples(List<String> lines) {
    this.lines = lines;
  }

  static Samples of(String text) {
    return new Samples(text.lines().filter(line -> !line.startsWith("#")).toList());
  }

  /**
   * The value of the one sample called {@code name} that carries every label pair given, e.g.
   * {@code status="200"}; 0 for a counter that has not been created yet is not assumed.
   */
  double value(String name, String... labels) {
    List<String> matching =
        lines.stream()
            .filter(line -> line.startsWith(name + "{") || line.startsWith(name + " "))
            .filter(line -> Arrays.stream(labels).allMatch(line::contains))
            .toList();
    if (matching.size() != 1) {
      fail("Expected one sample " + name + " " + Arrays.toString(labels) + ", got " + matching);
    }
    String line = matching.get(0);
    return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
  }
}
