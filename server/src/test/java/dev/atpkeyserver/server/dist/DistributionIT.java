package dev.atpkeyserver.server.dist;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.emptyArray;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The archive {@code mvn package} builds, used as an operator would: unpacked into an empty folder,
 * started through {@code bin/atp-keyserver} with the example configuration as its {@code
 * application.yaml}, asked for {@code GET /}, stopped with SIGTERM. Runs after package (failsafe).
 */
class DistributionIT {

  private static final Pattern LISTENING = Pattern.compile("listening on port (\\d+)");

  @TempDir Path folder;

  @Test
  void unpackedArchiveStartsAnswersAndStops() throws Exception {
    Path archive = Path.of(System.getProperty("keyserver.test.distribution"));
    assertThat("built by mvn package: " + archive, Files.isRegularFile(archive), is(true));
    Path unpacked = folder.resolve("opt");
    Files.createDirectories(unpacked);
    run(new ProcessBuilder("tar", "-xzf", archive.toString(), "-C", unpacked.toString()));
    String[] top = unpacked.toFile().list();
    assertThat(top, is(new String[] {archive.getFileName().toString().replace(".tar.gz", "")}));
    Path home = unpacked.resolve(top[0]);
    Path launcher = home.resolve("bin/atp-keyserver");
    assertThat(Files.isExecutable(launcher), is(true));
    assertThat(Files.isRegularFile(home.resolve("lib/atp-keyserver.jar")), is(true));
    assertThat(home.resolve("lib/libs").toFile().list(), not(emptyArray()));
    assertThat(Files.isRegularFile(home.resolve("atp-keyserver.service")), is(true));

    // The working directory the systemd unit would give it, with the example as its settings.
    Path work = Files.createDirectories(folder.resolve("work"));
    Files.copy(home.resolve("application.yaml.example"), work.resolve("application.yaml"));
    ProcessBuilder builder =
        new ProcessBuilder(launcher.toString()).directory(work.toFile()).redirectErrorStream(true);
    builder.environment().remove("JAVA_OPTS");
    // The JDK that built the archive (and its AOT cache), found through JAVA_HOME like any other.
    builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
    builder.environment().put("SERVER_PORT", "0");
    builder.environment().put("KEYSERVER_DATA_DIR", folder.resolve("data").toString());
    Process server = builder.start();
    // Appended by the thread that drains the process while this one reads it: the locking is
    // needed.
    @SuppressWarnings("JdkObsolete")
    StringBuffer output = new StringBuffer();
    CompletableFuture<Integer> port = new CompletableFuture<>();
    Thread reader =
        Thread.ofPlatform()
            .daemon()
            .start(
                () -> {
                  try (BufferedReader lines =
                      new BufferedReader(
                          new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = lines.readLine()) != null; ) {
                      output.append(line).append('\n');
                      Matcher listening = LISTENING.matcher(line);
                      if (listening.find()) {
                        port.complete(Integer.parseInt(listening.group(1)));
                      }
                    }
                  } catch (IOException e) {
                    port.completeExceptionally(e);
                  }
                  port.completeExceptionally(new IllegalStateException("exited:\n" + output));
                });
    try {
      int listening = port.get(120, TimeUnit.SECONDS);
      HttpResponse<String> root =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + listening + "/"))
                      .timeout(Duration.ofSeconds(10))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(output.toString(), root.statusCode(), is(200));
      assertThat(root.body(), containsString("\"name\":\"@atpkeyserver/server\""));
    } finally {
      server.destroy();
      assertThat("stops on SIGTERM", server.waitFor(60, TimeUnit.SECONDS), is(true));
      reader.join(Duration.ofSeconds(10));
    }
    String log = output.toString();
    // The launcher's flags leave the JVM nothing to warn about: an AOT cache it could not use
    // ([warning][aot] / [error][aot]), protobuf's sun.misc.Unsafe use, JNI without native access.
    assertThat(log, not(containsString("][aot]")));
    assertThat(log, not(containsString("sun.misc.Unsafe")));
    assertThat(log, not(containsString("restricted method")));
    // 128 + SIGTERM: the JVM itself (the launcher exec'd it) ended on the signal, after its hooks.
    assertThat(log, server.exitValue(), is(143));
  }

  private static void run(ProcessBuilder command) throws IOException, InterruptedException {
    Process process = command.redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(output, process.waitFor(), is(0));
  }
}
