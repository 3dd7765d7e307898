package dev.atpkeyserver.server.dist;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.isIn;

import dev.atpkeyserver.server.config.KeyserverConfig;
import dev.atpkeyserver.server.config.Setting;
import dev.atpkeyserver.server.config.Settings;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The files the archive ships besides the jars say what the code and the docs say. */
class DistributionFilesTest {

  private static final Path DIST = Path.of("src/dist");

  /** {@code # key: value} and {@code # key: value}: a setting left commented out. */
  private static final Pattern COMMENTED_SETTING =
      Pattern.compile("^(\\s*)# (\\s*[a-z][a-z-]*:.*)$", Pattern.MULTILINE);

  @Test
  void systemdUnitIsTheOneInOperationsMd() throws IOException {
    String operations = Files.readString(Path.of("../docs/operations.md"), StandardCharsets.UTF_8);
    Matcher block = Pattern.compile("```ini\n(.*?)```", Pattern.DOTALL).matcher(operations);
    assertThat("docs/operations.md has the unit", block.find(), is(true));
    assertThat(
        Files.readString(DIST.resolve("atp-keyserver.service"), StandardCharsets.UTF_8),
        equalTo(block.group(1)));
  }

  @TempDir Path folder;

  @Test
  void exampleConfigurationIsValidAsShippedAndWithEveryCommentedSettingOn() throws IOException {
    String example =
        Files.readString(DIST.resolve("application.yaml.example"), StandardCharsets.UTF_8);
    String everyOn = COMMENTED_SETTING.matcher(example).replaceAll("$1$2");
    Set<String> declared = Settings.ALL.stream().map(Setting::key).collect(Collectors.toSet());
    for (String text : List.of(example, everyOn)) {
      Path file = Files.writeString(folder.resolve("application.yaml"), text);
      Config config = Config.just(ConfigSources.file(file));
      List<String> keys =
          config
              .traverse()
              .filter(node -> node.type() == Config.Type.VALUE)
              .map(node -> node.key().toString())
              .toList();
      assertThat(text, keys, everyItem(isIn(declared)));
      KeyserverConfig.from(config);
    }
    assertThat("the commented settings are there", everyOn.equals(example), is(false));
  }
}
