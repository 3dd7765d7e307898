package dev.atpkeyserver.server.db;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DatabaseSettingsTest {

  private static DatabaseSettings url(String url) {
    return new DatabaseSettings(url, Optional.empty(), Optional.empty(), 4);
  }

  @Test
  void onlyAnH2DatabaseNoOtherProcessCanOpenCountsAsSingleProcess() {
    // The key cache relies on it: nobody else can write behind this process's back.
    assertThat(
        DatabaseSettings.embedded(
                Path.of("data"),
                4,
                DatabaseSettings.DEFAULT_LOCK_TIMEOUT,
                DatabaseSettings.DEFAULT_CONNECTION_TIMEOUT)
            .isSingleProcessH2(),
        is(true));
    assertThat(DatabaseSettings.inMemory("t", 4).isSingleProcessH2(), is(true));
    assertThat(url("jdbc:h2:file:/srv/ks;AUTO_SERVER=TRUE").isSingleProcessH2(), is(false));
    assertThat(url("jdbc:h2:tcp://db.internal/ks").isSingleProcessH2(), is(false));
    assertThat(url("jdbc:postgresql://127.0.0.1:5432/ks").isSingleProcessH2(), is(false));
  }
}
