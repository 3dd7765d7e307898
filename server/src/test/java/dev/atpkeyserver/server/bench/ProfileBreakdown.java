package dev.atpkeyserver.server.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a workload's keyserver CPU time goes, from a JFR recording made by {@code BENCH_JFR=1 bash
 * bench/run.sh}: every CPU-time sample ({@code jdk.CPUTimeSample}, JDK 25+, kernel time included;
 * {@code jdk.ExecutionSample} on older JDKs) is put in one category, and each category's share is
 * turned into microseconds per request with the CPU time per request the script measured for the
 * workload.
 *
 * <p>The rule: a sample goes to the first of the {@link #OWNERS} (a thread or a job, with whatever
 * it calls) that has a frame in its stack; otherwise to the {@link #LAYERS} category of its
 * innermost matching frame, so a filter counts only its own work, not the handler it calls. "other"
 * lists its most frequent leaf frames, so a category missing here shows up there.
 *
 * <p>Usage: {@code ProfileBreakdown <recording.jfr> <keyserver CPU µs per request>}.
 */
public final class ProfileBreakdown {

  /**
   * Work that owns everything below it (a thread of its own, a library doing one job): a sample
   * whose stack has one of these frames anywhere goes to the first such category.
   */
  private static final String[][] OWNERS = {
    {"JFR and attach", "^jdk\\.jfr|AttachListener"},
    {"access log: writer thread (COPY/INSERT, JDBC)", "AccessLogWriter\\.run"},
    {"access log: queueing a read", "AccessLogWriter\\.append"},
    {"cache invalidation listener", "PostgresInvalidationListener"},
    {"request log: writer thread (stdout)", "RequestLogHandler\\.drain"},
    {"request log: line, JUL, formatting, queueing", "RequestLog\\.log"},
    {"request metrics (ours, Micrometer)", "RequestMetrics\\.record"},
    {"token: parsing (base64url, JSON)", "ServiceToken\\.parse"},
    {"token: signature check", "\\.auth\\.signature\\."},
    {"token: verified-token cache (SHA-256, map)", "VerifiedTokenCache"},
    {"Ed25519 key generation", "KeyGenerators\\.ed25519"},
    {"group key generation", "KeyGenerators\\.xchacha"},
    {"sealing and opening keys (Tink)", "MasterKey\\.(seal|open)"},
  };

  /**
   * Layers: a sample goes to the category of the innermost frame of its stack that matches one, so
   * a filter or the routing counts only the work it does itself, not the handler it calls.
   */
  private static final String[][] LAYERS = {
    {"JDBC on the request thread", "^org\\.postgresql|^com\\.zaxxer|^io\\.helidon\\.dbclient"},
    {"key cache", "ScopedCache"},
    {"query parameters", "\\$Params\\.fromQuery|QueryParams|UriQuery"},
    {"JSON request body", "JsonBodies|\\$Input\\.fromJson"},
    {"JSON response body", "XrpcResponses\\.sendJson|JsonOut"},
    {"response: headers and socket write", "Http1ServerResponse\\.|ServerResponseBase\\.send"},
    {"token: claims, DID document", "ServiceAuthVerifier|CachingDidResolver"},
    {"authentication (caller, address)", "RequestAuthenticator|ClientAddresses"},
    {"DID parsing", "dev\\.atpkeyserver\\.did\\.Did\\."},
    {"handlers and services", "dev\\.atpkeyserver\\.server\\.(api|keypair|group|keys)\\."},
    {"rate limits", "\\.ratelimit\\."},
    {"Helidon KPI metrics filter", "MetricsFeature|observe\\.metrics\\.KeyPerformanceIndicator"},
    {"request observer (id, route, context)", "RequestObserver|RequestId"},
    {"routing and filters", "HttpRoutingImpl|Filters|RouteCrawler|PathMatcher|XrpcRoutes"},
    {"request: socket read, prologue, headers", "Http1Prologue|Http1Headers|DataReader"},
    {"request: host and URI checks", "validateHostHeader|UriValidator|UriPath|HttpPrologue"},
    {"virtual-thread scheduling and epoll", "EPoll|Poller|ForkJoin|VirtualThread|Continuation"},
    {"connection loop (Helidon)", "Http1Connection|ConnectionHandler"},
  };

  private ProfileBreakdown() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      throw new IllegalArgumentException(
          "usage: ProfileBreakdown <recording.jfr> <keyserver CPU us per request>");
    }
    double microsPerRequest = Double.parseDouble(args[1]);
    List<RecordedEvent> events = RecordingFile.readAllEvents(Path.of(args[0]));
    String type =
        events.stream().anyMatch(e -> e.getEventType().getName().equals("jdk.CPUTimeSample"))
            ? "jdk.CPUTimeSample"
            : "jdk.ExecutionSample";
    List<Pattern> owners = compile(OWNERS);
    List<Pattern> layers = compile(LAYERS);
    Map<String, Long> counts = new LinkedHashMap<>();
    for (String[][] categories : List.of(OWNERS, LAYERS)) {
      for (String[] category : categories) {
        counts.put(category[0], 0L);
      }
    }
    counts.put("other", 0L);
    Map<String, Long> otherLeaves = new HashMap<>();
    long total = 0;
    for (RecordedEvent event : events) {
      RecordedStackTrace stack = event.getStackTrace();
      if (!event.getEventType().getName().equals(type) || stack == null) {
        continue;
      }
      List<String> frames = new ArrayList<>();
      for (RecordedFrame frame : stack.getFrames()) {
        frames.add(frame.getMethod().getType().getName() + "." + frame.getMethod().getName());
      }
      total++;
      String category = categoryOf(frames, owners, layers);
      counts.merge(category, 1L, Long::sum);
      if (category.equals("other") && !frames.isEmpty()) {
        otherLeaves.merge(frames.get(0), 1L, Long::sum);
      }
    }
    System.out.printf(
        Locale.ROOT,
        "%d %s samples, %.1f us of keyserver CPU per request%n",
        total,
        type,
        microsPerRequest);
    if (total == 0) {
      return;
    }
    for (Map.Entry<String, Long> entry : counts.entrySet()) {
      if (entry.getValue() > 0) {
        double share = (double) entry.getValue() / total;
        System.out.printf(
            Locale.ROOT,
            "%6.1f %%  %6.2f us  %s%n",
            100 * share,
            share * microsPerRequest,
            entry.getKey());
      }
    }
    long all = total;
    otherLeaves.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .limit(10)
        .forEach(
            e ->
                System.out.printf(
                    Locale.ROOT,
                    "          other: %5.2f %%  %s%n",
                    100.0 * e.getValue() / all,
                    e.getKey()));
  }

  private static List<Pattern> compile(String[][] categories) {
    List<Pattern> patterns = new ArrayList<>();
    for (String[] category : categories) {
      patterns.add(Pattern.compile(category[1]));
    }
    return patterns;
  }

  /** {@code frames} from the innermost (the sampled method) outwards. */
  private static String categoryOf(
      List<String> frames, List<Pattern> owners, List<Pattern> layers) {
    for (int i = 0; i < owners.size(); i++) {
      for (String frame : frames) {
        if (owners.get(i).matcher(frame).find()) {
          return OWNERS[i][0];
        }
      }
    }
    for (String frame : frames) {
      for (int i = 0; i < layers.size(); i++) {
        if (layers.get(i).matcher(frame).find()) {
          return LAYERS[i][0];
        }
      }
    }
    return "other";
  }
}
