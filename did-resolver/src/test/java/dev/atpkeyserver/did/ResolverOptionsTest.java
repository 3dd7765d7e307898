package dev.atpkeyserver.did;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ResolverOptionsTest {

  @Test
  void defaultsMatchTheOfficialResolverAndRefuseLocalHosts() {
    ResolverOptions defaults = ResolverOptions.defaults();

    assertThat(defaults.plcUrl(), equalTo(URI.create("https://plc.directory")));
    assertThat(defaults.timeout(), equalTo(Duration.ofSeconds(3)));
    assertThat(defaults.maxDocumentBytes(), equalTo(65_536));
    assertThat(defaults.allowLocalHosts(), is(false));
  }

  @Test
  void builderSetsEverySetting() {
    ResolverOptions options =
        ResolverOptions.builder()
            .plcUrl(URI.create("http://localhost:2582"))
            .timeout(Duration.ofMillis(500))
            .maxDocumentBytes(1_000)
            .allowLocalHosts(true)
            .build();

    assertThat(
        options,
        equalTo(
            new ResolverOptions(
                URI.create("http://localhost:2582"), Duration.ofMillis(500), 1_000, true)));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"ftp://plc.example", "plc.directory", "https:///nohost", "file:/etc/passwd"})
  void refusesAPlcUrlThatIsNotHttpWithAHost(String url) {
    assertThrows(
        IllegalArgumentException.class,
        () -> ResolverOptions.builder().plcUrl(URI.create(url)).build());
  }

  @Test
  void refusesNonPositiveLimits() {
    assertThrows(
        IllegalArgumentException.class,
        () -> ResolverOptions.builder().timeout(Duration.ZERO).build());
    assertThrows(
        IllegalArgumentException.class,
        () -> ResolverOptions.builder().timeout(Duration.ofSeconds(-1)).build());
    assertThrows(
        IllegalArgumentException.class,
        () -> ResolverOptions.builder().maxDocumentBytes(0).build());
  }
}
