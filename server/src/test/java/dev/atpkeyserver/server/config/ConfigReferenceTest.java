package dev.atpkeyserver.server.config;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.helidon.config.Config;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@link Settings} is the one declaration of every setting: the reference table in {@code
 * docs/operations.md} is exactly its rows, every default reads back as declared, every setting is
 * read from its environment variable, and no published key has gone. A failure names the row or key
 * to fix.
 */
class ConfigReferenceTest {

  private static final String TABLE_HEADER =
      "| key | environment variable | type | default | what it does |";

  /**
   * The keys operators could set when the settings were first declared in one place. Keys are part
   * of the interface (unit files and environments name them), so one may be added but never dropped
   * or renamed.
   */
  private static final List<String> PUBLISHED_KEYS =
      List.of(
          "server.port",
          "server.host",
          "server.max-payload-size",
          "keyserver.public-url",
          "keyserver.service-did",
          "keyserver.plc-url",
          "keyserver.data-dir",
          "keyserver.db.url",
          "keyserver.db.username",
          "keyserver.db.password",
          "keyserver.db.pool-size",
          "keyserver.db.lock-timeout",
          "keyserver.db.connection-timeout",
          "keyserver.did-web.allow-local-hosts",
          "keyserver.did-resolver.timeout",
          "keyserver.did-resolver.max-concurrent-fetches",
          "keyserver.did-cache.stale-ttl",
          "keyserver.did-cache.max-ttl",
          "keyserver.did-cache.max-entries",
          "keyserver.did-cache.min-refresh-interval",
          "keyserver.did-cache.forced-refresh-burst",
          "keyserver.did-cache.negative-ttl",
          "keyserver.trusted-proxies",
          "keyserver.master-key",
          "keyserver.master-key-file",
          "keyserver.require-private-files",
          "keyserver.access-log.retention",
          "keyserver.key-cache.enabled",
          "keyserver.key-cache.max-entries",
          "keyserver.rate-limit.enabled",
          "keyserver.rate-limit.public.requests",
          "keyserver.rate-limit.public.window",
          "keyserver.rate-limit.authenticated.requests",
          "keyserver.rate-limit.authenticated.window",
          "keyserver.rate-limit.rotation.requests",
          "keyserver.rate-limit.rotation.window",
          "keyserver.rate-limit.membership.requests",
          "keyserver.rate-limit.membership.window");

  @Test
  void theReferenceTableIsExactlyTheDeclaredSettings() throws IOException {
    Path operations = repositoryRoot().resolve("docs/operations.md");
    List<String> table = referenceTable(operations);
    List<String> expected = Settings.ALL.stream().map(Setting::referenceRow).toList();

    List<String> problems = new ArrayList<>();
    Map<String, String> rowsByKey = new LinkedHashMap<>();
    for (String row : table) {
      rowsByKey.put(keyOf(row), row);
    }
    for (Setting<?> setting : Settings.ALL) {
      String row = setting.referenceRow();
      if (!table.contains(row)) {
        String found = rowsByKey.get(setting.key());
        problems.add(
            "expected row:\n    "
                + row
                + "\n  found:\n    "
                + (found == null ? "(no row for " + setting.key() + ")" : found));
      }
    }
    for (String row : table) {
      if (!expected.contains(row)
          && Settings.ALL.stream().noneMatch(s -> s.key().equals(keyOf(row)))) {
        problems.add("row for a key no setting declares (remove it or declare it):\n    " + row);
      }
    }
    if (problems.isEmpty() && !table.equals(expected)) {
      problems.add(
          "rows in another order than Settings declares them; the table should read:\n"
              + String.join("\n", expected));
    }
    assertTrue(
        problems.isEmpty(),
        () ->
            operations
                + "'s configuration table disagrees with Settings:\n  "
                + String.join("\n  ", problems));
  }

  @Test
  void everyDefaultGivenAsConfigurationReadsBackAsTheDeclaredValue() {
    Map<String, String> environment = new HashMap<>();
    Settings.ALL.forEach(
        setting ->
            setting
                .defaultText()
                .ifPresent(text -> environment.put(setting.environmentVariable(), text)));
    Config root = ConfigLoader.load(environment);

    for (Setting<?> setting : Settings.ALL) {
      if (setting.defaultText().isPresent()) {
        assertTrue(root.get(setting.key()).exists(), () -> setting.key() + " was not loaded");
        assertThat(setting.key(), setting.read(root), equalTo(setting.defaultValue()));
      }
    }
  }

  @Test
  void everySettingIsLoadedFromItsEnvironmentVariable() {
    Map<String, String> environment = new HashMap<>();
    Settings.ALL.forEach(
        setting -> environment.put(setting.environmentVariable(), "from-" + setting.key()));
    Config root = ConfigLoader.load(environment);

    for (Setting<?> setting : Settings.ALL) {
      assertThat(
          setting.environmentVariable(),
          root.get(setting.key()).asString().orElse("(unset)"),
          equalTo("from-" + setting.key()));
    }
  }

  @Test
  void environmentVariablesAreTheUpperCaseKeys() {
    assertThat(
        Settings.DID_WEB_ALLOW_LOCAL_HOSTS.environmentVariable(),
        equalTo("KEYSERVER_DID_WEB_ALLOW_LOCAL_HOSTS"));
    assertThat(Settings.PORT.environmentVariable(), equalTo("SERVER_PORT"));
    assertThat(
        Settings.RATE_LIMIT_PUBLIC_WINDOW.environmentVariable(),
        equalTo("KEYSERVER_RATE_LIMIT_PUBLIC_WINDOW"));
  }

  @Test
  void noPublishedKeyIsDropped() {
    Set<String> declared = new HashSet<>();
    Settings.ALL.forEach(setting -> declared.add(setting.key()));
    List<String> missing = PUBLISHED_KEYS.stream().filter(key -> !declared.contains(key)).toList();
    assertThat("published keys no setting declares", missing, equalTo(List.of()));
  }

  @Test
  void keysAndEnvironmentVariablesAreUnique() {
    Set<String> keys = new HashSet<>();
    Set<String> variables = new HashSet<>();
    List<String> duplicates = new ArrayList<>();
    for (Setting<?> setting : Settings.ALL) {
      if (!keys.add(setting.key()) || !variables.add(setting.environmentVariable())) {
        duplicates.add(setting.key());
      }
    }
    assertThat(duplicates, equalTo(List.of()));
  }

  @Test
  void everyCellFitsTheTable() {
    for (Setting<?> setting : Settings.ALL) {
      for (String cell :
          List.of(setting.typeName(), setting.documentedDefault(), setting.description())) {
        assertTrue(
            !cell.isBlank() && !cell.contains("|") && !cell.contains("\n"),
            () -> setting.key() + " has a cell a Markdown table cannot hold: " + cell);
      }
    }
  }

  /** The rows of the table under {@link #TABLE_HEADER}, in order. */
  private static List<String> referenceTable(Path operations) throws IOException {
    List<String> lines = Files.readAllLines(operations, StandardCharsets.UTF_8);
    int header = lines.indexOf(TABLE_HEADER);
    if (header < 0) {
      throw new AssertionError(operations + " has no table headed " + TABLE_HEADER);
    }
    List<String> rows = new ArrayList<>();
    // Skip the header and its |---| line; the table ends at the first line that is not a row.
    for (int i = header + 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
      rows.add(lines.get(i));
    }
    return rows;
  }

  /** The key in a row's first cell, without its backticks. */
  private static String keyOf(String row) {
    String[] cells = row.split("\\|", -1);
    return cells.length > 1 ? cells[1].strip().replace("`", "") : row;
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
