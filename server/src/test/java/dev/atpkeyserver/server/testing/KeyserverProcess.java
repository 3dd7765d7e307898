package dev.atpkeyserver.server.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A keyserver in a JVM process of its own, started like production ({@code Main}, configured by
 * {@code KEYSERVER_*} environment variables) from the test JVM's class path. Its output is kept for
 * diagnostics; {@link #close()} stops it (SIGTERM, then forcibly).
 */
public final class KeyserverProcess implements AutoCloseable {

  private static final Pattern LISTENING = Pattern.compile("listening on port (\\d+)");
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final Process process;

  // Appended by the thread that drains the process while a test reads it: the locking is needed.
  @SuppressWarnings("JdkObsolete")
  private final StringBuffer output = new StringBuffer();

  private final CompletableFuture<Integer> port = new CompletableFuture<>();

  private KeyserverProcess(Process process) {
    this.process = process;
    Thread.ofPlatform().daemon().name("keyserver-process-output").start(this::readOutput);
  }

  /**
   * Starts {@code dev.atpkeyserver.server.Main} with {@code environment} added to this JVM's, in
   * {@code workingDir} (so no stray {@code application.yaml} is picked up).
   */
  public static KeyserverProcess start(Map<String, String> environment, Path workingDir) {
    String java =
        ProcessHandle.current()
            .info()
            .command()
            .orElseThrow(() -> new IllegalStateException("cannot tell this JVM's java command"));
    ProcessBuilder builder =
        new ProcessBuilder(
                List.of(
                    java,
                    // A small heap, one GC thread and a quick JIT start: these servers live for
                    // seconds, on machines where CPU is scarce.
                    "-Xmx256m",
                    "-XX:+UseSerialGC",
                    "-XX:TieredStopAtLevel=1",
                    // libsecp256k1 is loaded through JNI: without this, JDK 24+ warns.
                    "--enable-native-access=ALL-UNNAMED",
                    "-cp",
                    System.getProperty("java.class.path"),
                    "dev.atpkeyserver.server.Main"))
            .directory(workingDir.toFile())
            .redirectErrorStream(true);
    builder.environment().putAll(environment);
    try {
      return new KeyserverProcess(builder.start());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits until the server logs the port it listens on. */
  public KeyserverProcess awaitListening(Duration timeout) {
    try {
      port.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return this;
    } catch (TimeoutException | ExecutionException e) {
      throw new IllegalStateException(
          "keyserver process did not report its port within " + timeout + ":\n" + output(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The server's base URI, e.g. {@code http://127.0.0.1:41234}. */
  public URI baseUri() {
    return URI.create("http://127.0.0.1:" + port.join());
  }

  /** Sends {@code request} (built on {@link #baseUri()}) and returns the answer. */
  public HttpResponse<String> send(HttpRequest request) {
    try {
      return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Everything the process printed so far. */
  public String output() {
    return output.toString();
  }

  private void readOutput() {
    try (BufferedReader reader =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        output.append(line).append('\n');
        Matcher listening = LISTENING.matcher(line);
        if (!port.isDone() && listening.find()) {
          port.complete(Integer.parseInt(listening.group(1)));
        }
      }
    } catch (IOException e) {
      output.append("(output lost: ").append(e).append(")\n");
    } finally {
      port.completeExceptionally(new IllegalStateException("keyserver process ended"));
    }
  }

  /** Stops the process gracefully, or forcibly after 10 s. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
