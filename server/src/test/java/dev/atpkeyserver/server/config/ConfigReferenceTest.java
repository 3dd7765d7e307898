package dev.atpkeyserver.server.config;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The configuration reference in {@code docs/operations.md} agrees with what the server really
 * reads: every key of the packaged {@code application.yaml} (set or commented out as optional) has
 * a row, with the YAML's default; every row is a key the server knows; and the environment variable
 * in each row is the one {@link ConfigLoader} maps. A failure names the key to fix.
 */
class ConfigReferenceTest {

  private static final String TABLE_HEADER =
      "| key | environment variable | default | what it does |";

  /** {@code # name: ...} or {@code # url, username, password: ...}: optional keys in the YAML. */
  private static final Pattern COMMENTED_KEYS =
      Pattern.compile("^(\\s*)#\\s*([a-z][a-z0-9-]*(?:\\s*,\\s*[a-z][a-z0-9-]*)*):(\\s|$)");

  private static final Pattern YAML_KEY = Pattern.compile("^(\\s*)([a-z][a-z0-9-]*):");

  private static Path yaml;
  private static Map<String, Row> table;

  private record Row(String key, String environmentVariable, String defaultValue) {}

  @BeforeAll
  static void readFiles() throws IOException {
    Path root = repositoryRoot();
    yaml = root.resolve("server/src/main/resources/application.yaml");
    table = referenceTable(root.resolve("docs/operations.md"));
  }

  @Test
  void everyKeySetInTheYamlHasARowWithTheSameDefault() {
    List<String> problems = new ArrayList<>();
    yamlValues()
        .forEach(
            (key, value) -> {
              Row row = table.get(key);
              if (row == null) {
                problems.add(
                    key + " (default " + value + ") is in application.yaml but has no row");
              } else if (!row.defaultValue().equals("`" + value + "`")) {
                problems.add(
                    key
                        + ": application.yaml says `"
                        + value
                        + "`, the table says "
                        + row.defaultValue());
              }
            });
    assertNoProblems(problems);
  }

  @Test
  void everyOptionalKeyCommentedInTheYamlHasARow() throws IOException {
    List<String> problems = new ArrayList<>();
    for (String key : commentedKeys()) {
      if (!table.containsKey(key)) {
        problems.add(key + " is listed (commented out) in application.yaml but has no row");
      }
    }
    assertNoProblems(problems);
  }

  @Test
  void everyRowIsAKeyTheServerKnows() throws IOException {
    Set<String> known = new LinkedHashSet<>(yamlValues().keySet());
    known.addAll(commentedKeys());
    known.addAll(ConfigLoader.KEYS);
    List<String> problems = new ArrayList<>();
    for (String key : table.keySet()) {
      if (!known.contains(key)) {
        problems.add(
            key + " has a row but is neither in application.yaml nor in ConfigLoader.KEYS");
      }
    }
    assertNoProblems(problems);
  }

  @Test
  void everyRowNamesTheEnvironmentVariableConfigLoaderMaps() {
    List<String> problems = new ArrayList<>();
    for (Row row : table.values()) {
      String expected = "`" + ConfigLoader.environmentName(row.key()) + "`";
      if (!row.environmentVariable().equals(expected)) {
        problems.add(
            row.key()
                + ": the table says "
                + row.environmentVariable()
                + ", the rule gives "
                + expected);
      } else if (!ConfigLoader.KEYS.contains(row.key())) {
        problems.add(
            row.key()
                + ": the table promises "
                + expected
                + " but ConfigLoader.KEYS does not map it, so setting it would do nothing");
      }
    }
    for (String key : ConfigLoader.KEYS) {
      if (!table.containsKey(key)) {
        problems.add(key + " is in ConfigLoader.KEYS but has no row");
      }
    }
    assertNoProblems(problems);
  }

  private static void assertNoProblems(List<String> problems) {
    assertTrue(
        problems.isEmpty(),
        () ->
            "docs/operations.md's configuration table disagrees with the code:\n  "
                + String.join("\n  ", problems));
  }

  /** The YAML's leaves as flat keys ({@code keyserver.db.pool-size}) with their values. */
  private static Map<String, String> yamlValues() {
    Config config = Config.just(ConfigSources.file(yaml));
    Map<String, String> values = new LinkedHashMap<>();
    config
        .traverse()
        .filter(Config::isLeaf)
        .forEach(node -> values.put(node.key().toString(), node.asString().get()));
    return values;
  }

  /**
   * Optional keys the YAML lists as comments, placed under the key they are indented beneath: a
   * {@code # url, username, password:} comment inside {@code db:} names three {@code
   * keyserver.db.*} keys.
   */
  private static Set<String> commentedKeys() throws IOException {
    Set<String> keys = new LinkedHashSet<>();
    // Open mappings as (indent, name), innermost last.
    Deque<Map.Entry<Integer, String>> parents = new ArrayDeque<>();
    for (String line : Files.readAllLines(yaml, StandardCharsets.UTF_8)) {
      Matcher comment = COMMENTED_KEYS.matcher(line);
      Matcher key = YAML_KEY.matcher(line);
      boolean optional = comment.lookingAt();
      if (!optional && !key.lookingAt()) {
        continue; // prose comments, blank lines, list items
      }
      int indent = (optional ? comment.group(1) : key.group(1)).length();
      while (!parents.isEmpty() && parents.peekLast().getKey() >= indent) {
        parents.removeLast();
      }
      StringBuilder prefix = new StringBuilder();
      parents.forEach(parent -> prefix.append(parent.getValue()).append('.'));
      if (optional) {
        for (String name : comment.group(2).split("\\s*,\\s*", -1)) {
          keys.add(prefix + name);
        }
      } else {
        parents.addLast(Map.entry(indent, key.group(2)));
      }
    }
    return keys;
  }

  /** The rows of the table under {@link #TABLE_HEADER}, by key. */
  private static Map<String, Row> referenceTable(Path operations) throws IOException {
    List<String> lines = Files.readAllLines(operations, StandardCharsets.UTF_8);
    int header = lines.indexOf(TABLE_HEADER);
    if (header < 0) {
      throw new AssertionError(operations + " has no table headed " + TABLE_HEADER);
    }
    Map<String, Row> rows = new LinkedHashMap<>();
    // Skip the header and its |---| line; the table ends at the first line that is not a row.
    for (int i = header + 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
      String[] cells = lines.get(i).split("\\|", -1);
      if (cells.length < 5) {
        throw new AssertionError("Malformed table row in " + operations + ": " + lines.get(i));
      }
      String key = cells[1].strip();
      if (!(key.startsWith("`") && key.endsWith("`") && key.length() > 2)) {
        throw new AssertionError("The key cell must be `key`: " + lines.get(i));
      }
      key = key.substring(1, key.length() - 1);
      if (rows.put(key, new Row(key, cells[2].strip(), cells[3].strip())) != null) {
        throw new AssertionError(key + " has two rows in " + operations);
      }
    }
    return rows;
  }

  /** The repository root, found from the module directory Maven runs tests in. */
  private static Path repositoryRoot() {
    Path here = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    for (Path candidate = here; candidate != null; candidate = candidate.getParent()) {
      if (Files.isRegularFile(candidate.resolve("docs/operations.md"))
          && Files.isDirectory(candidate.resolve("server"))) {
        return candidate;
      }
    }
    throw new IllegalStateException("docs/operations.md not found above " + here);
  }
}
