package dev.atpkeyserver.server.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.atpkeyserver.server.testing.DeviceKeys;
import dev.atpkeyserver.server.testing.DidDirectory;
import dev.atpkeyserver.server.testing.TestUser;
import dev.atpkeyserver.xrpc.JsonOut;
import java.io.BufferedWriter;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The helper process of the load benchmark ({@code bench/run.sh}). It
 *
 * <ol>
 *   <li>generates users and serves their DID documents as a stand-in PLC directory on a free
 *       loopback port (written to {@code <dir>/plc-url}, which tells the script to start the
 *       keyserver against it);
 *   <li>waits for the keyserver, then seeds it over HTTP the way real clients would: a keypair per
 *       user, groups with members, and a device per user with {@value #DEVICE_ONE_TIME_PRE_KEYS}
 *       one-time prekeys and a last-resort key (the script adds more one-time prekeys with SQL);
 *   <li>writes the request lists the wrk scripts replay ({@code w1.txt} … {@code w5.txt}, {@code
 *       w7.txt}: one request a line, {@code <path>}, {@code <path> <token>} or {@code <path>
 *       <token> <JSON body>}) and {@code fixture.properties};
 *   <li>keeps serving DID documents until the script kills it, in case the keyserver's cache asks
 *       again.
 * </ol>
 *
 * <p>Usage: {@code BenchmarkFixture <dir> <keyserver URL> <service DID> <users> <groups> <members
 * per group> <fresh tokens> <token lifetime seconds>}.
 */
public final class BenchmarkFixture {

  private static final String NSID = "dev.atpkeyserver.alpha.";
  private static final String GET_KEYPAIR = NSID + "keypair.getKeypair";
  private static final String GET_PUBLIC_KEY = NSID + "keypair.getPublicKey";
  private static final String ROTATE = NSID + "keypair.rotate";
  private static final String GROUP_GET_KEY = NSID + "group.getKey";
  private static final String ADD_MEMBER = NSID + "group.addMember";
  private static final String REGISTER_DEVICE = NSID + "device.register";
  private static final String CLAIM_BUNDLES = NSID + "device.claimBundles";

  /** One-time prekeys each seeded device registers with: one request's worth, the maximum. */
  private static final int DEVICE_ONE_TIME_PRE_KEYS = 100;

  /** Tries of a seeding request whose connection could not be made. */
  private static final int CONNECT_ATTEMPTS = 3;

  /** Enough to keep both cores of the benchmark machine busy while seeding, not more. */
  private static final int SEED_CONCURRENCY = 8;

  /** The command line. */
  record Settings(
      Path dir,
      URI keyserver,
      String serviceDid,
      int users,
      int groups,
      int membersPerGroup,
      int freshTokens,
      long tokenLifetimeSeconds) {

    static Settings parse(String[] args) {
      if (args.length != 8) {
        throw new IllegalArgumentException(
            "usage: BenchmarkFixture <dir> <keyserver URL> <service DID> <users> <groups>"
                + " <members per group> <fresh tokens> <token lifetime seconds>");
      }
      Settings settings =
          new Settings(
              Path.of(args[0]),
              URI.create(args[1]),
              args[2],
              Integer.parseInt(args[3]),
              Integer.parseInt(args[4]),
              Integer.parseInt(args[5]),
              Integer.parseInt(args[6]),
              Long.parseLong(args[7]));
      if (settings.groups() * (1 + settings.membersPerGroup()) > settings.users()) {
        throw new IllegalArgumentException("not enough users for the owners and members asked for");
      }
      return settings;
    }
  }

  /** A group the benchmark reads: {@code <owner DID>#bench}, with members nobody else has. */
  record Group(TestUser owner, String id, List<TestUser> members) {}

  /** A member and the group they may read (W3 and W4 read as members, not as owners). */
  record Membership(TestUser member, Group group) {}

  private final Settings settings;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private BenchmarkFixture(Settings settings) {
    this.settings = settings;
  }

  public static void main(String[] args) {
    try {
      new BenchmarkFixture(Settings.parse(args)).run();
    } catch (Exception e) {
      e.printStackTrace();
      // The PLC directory's threads would keep the JVM, and the script waiting for us, alive.
      System.exit(1);
    }
  }

  private void run() throws Exception {
    Files.createDirectories(settings.dir());
    long started = System.nanoTime();
    List<TestUser> users =
        IntStream.range(0, settings.users()).parallel().mapToObj(i -> TestUser.plc()).toList();
    Map<String, String> documents =
        users.stream()
            .collect(Collectors.toUnmodifiableMap(TestUser::did, DidDirectory::documentFor));
    AtomicLong plcRequests = new AtomicLong();
    HttpServer plc = startPlcDirectory(documents, plcRequests);
    writeAtomically(
        settings.dir().resolve("plc-url"), "http://127.0.0.1:" + plc.getAddress().getPort() + "\n");
    log(
        "PLC directory stand-in for %d users on port %d"
            .formatted(users.size(), plc.getAddress().getPort()));

    awaitKeyserver(Duration.ofMinutes(2));
    long seedStarted = System.nanoTime();
    inParallel(users, user -> call("GET", GET_KEYPAIR, "", user, null));
    List<Group> groups = createGroups(users);
    inParallel(users, this::registerDevice);
    double seedSeconds = seconds(seedStarted);
    log(
        "Seeded %d keypairs, %d groups and %d devices in %.1f s"
            .formatted(users.size(), groups.size(), users.size(), seedSeconds));

    List<Membership> memberships =
        groups.stream()
            .flatMap(group -> group.members().stream().map(m -> new Membership(m, group)))
            .toList();
    // @NOTE the server enforces no maximum token lifetime, so tokens minted now stay valid for the
    // whole run; the script sizes the lifetime to the run.
    long exp = Instant.now().getEpochSecond() + settings.tokenLifetimeSeconds();
    writeRequestLists(users, memberships, exp);
    long mintStarted = System.nanoTime();
    writeFreshTokens(memberships, exp);
    double mintSeconds = seconds(mintStarted);
    log(
        "Minted %d fresh group.getKey tokens in %.1f s"
            .formatted(settings.freshTokens(), mintSeconds));

    writeAtomically(
        settings.dir().resolve("fixture.properties"),
        """
        users=%d
        groups=%d
        members=%d
        fresh_tokens=%d
        seed_seconds=%.1f
        mint_seconds=%.1f
        fixture_seconds=%.1f
        """
            .formatted(
                users.size(),
                groups.size(),
                memberships.size(),
                settings.freshTokens(),
                seedSeconds,
                mintSeconds,
                seconds(started)));
    // The script kills us when the benchmark ends; until then the directory keeps answering.
    Thread.currentThread().join();
  }

  /**
   * Serves {@code GET /<DID>} (colons raw or percent-encoded, as the resolver may send either) and
   * {@code GET /_fixture/stats}, the number of DID documents served, which shows whether the
   * keyserver's DID cache held during the run.
   */
  private static HttpServer startPlcDirectory(Map<String, String> documents, AtomicLong served)
      throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext(
        "/",
        exchange -> {
          try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            if (path.equals("/_fixture/stats")) {
              respond(exchange, 200, "text/plain", "plc_requests=" + served.get() + "\n");
              return;
            }
            String did = URLDecoder.decode(path.substring(1), StandardCharsets.UTF_8);
            String document = documents.get(did);
            if (!exchange.getRequestMethod().equals("GET") || document == null) {
              respond(exchange, 404, "application/json", "{\"message\":\"DID not registered\"}");
              return;
            }
            served.incrementAndGet();
            respond(exchange, 200, "application/did+ld+json", document);
          }
        });
    server.start();
    return server;
  }

  private static void respond(HttpExchange exchange, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  /** The script starts the keyserver only once our port is known, so it may still be starting. */
  private void awaitKeyserver(Duration patience) throws InterruptedException {
    Instant deadline = Instant.now().plus(patience);
    HttpRequest ping = HttpRequest.newBuilder(settings.keyserver().resolve("/")).build();
    while (true) {
      try {
        if (http.send(ping, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException("the keyserver did not answer within " + patience);
      }
      Thread.sleep(100);
    }
  }

  /**
   * The first {@code groups} users own a group each (created by their first getKey), and the next
   * {@code groups × membersPerGroup} users are its members, one group each.
   */
  private List<Group> createGroups(List<TestUser> users) throws InterruptedException {
    int perGroup = settings.membersPerGroup();
    List<Group> groups =
        IntStream.range(0, settings.groups())
            .mapToObj(
                g -> {
                  TestUser owner = users.get(g);
                  int first = settings.groups() + g * perGroup;
                  return new Group(
                      owner, owner.did() + "#bench", users.subList(first, first + perGroup));
                })
            .toList();
    inParallel(
        groups,
        group -> {
          call("GET", GROUP_GET_KEY, "group_id=" + encode(group.id()), group.owner(), null);
          for (TestUser member : group.members()) {
            String body =
                "{\"group_id\":\"%s\",\"member_did\":\"%s\"}".formatted(group.id(), member.did());
            call("POST", ADD_MEMBER, "", group.owner(), body);
          }
        });
    return groups;
  }

  /** A device for {@code user}, as a client registers it: keys made and signed on the device. */
  private void registerDevice(TestUser user) throws IOException, InterruptedException {
    DeviceKeys keys = DeviceKeys.generate();
    String body =
        JsonOut.toJson(
            keys.registration(
                "bench-device",
                keys.signedKey("signed-1"),
                DeviceKeys.oneTimeKeys("otk-", DEVICE_ONE_TIME_PRE_KEYS),
                Optional.of(keys.signedKey("last-resort-1"))));
    call("POST", REGISTER_DEVICE, "", user, body);
  }

  /** W1 to W5 and W7: everything but the fresh tokens, which {@link #writeFreshTokens} mints. */
  private void writeRequestLists(List<TestUser> users, List<Membership> memberships, long exp)
      throws IOException {
    writeLines("w1.txt", List.of("/"));
    writeLines(
        "w2.txt",
        users.stream().map(u -> xrpcPath(GET_PUBLIC_KEY, "did=" + encode(u.did()))).toList());
    Membership reader = memberships.get(0);
    writeLines("w3.txt", List.of(groupKeyRequest(reader, exp)));
    writeLines(
        "w5.txt",
        users.stream().map(u -> xrpcPath(ROTATE, "") + " " + token(u, ROTATE, exp)).toList());
    // W7: user i+1 claims user i's bundle, so consecutive claims hit different devices and come
    // from different callers (each with a reusable token, as a client would hold one).
    writeLines(
        "w7.txt",
        IntStream.range(0, users.size())
            .mapToObj(
                i -> {
                  TestUser claimer = users.get((i + 1) % users.size());
                  return xrpcPath(CLAIM_BUNDLES, "")
                      + " "
                      + token(claimer, CLAIM_BUNDLES, exp)
                      + " {\"did\":\""
                      + users.get(i).did()
                      + "\"}";
                })
            .toList());
  }

  /**
   * W4: one token per request, each with its own {@code jti}, cycling through the members so that
   * consecutive requests come from different users. Minted on every core; that is the slow part.
   */
  private void writeFreshTokens(List<Membership> memberships, long exp) throws IOException {
    List<String> lines =
        IntStream.range(0, settings.freshTokens())
            .parallel()
            .mapToObj(i -> groupKeyRequest(memberships.get(i % memberships.size()), exp))
            .toList();
    writeLines("w4.txt", lines);
  }

  private String groupKeyRequest(Membership membership, long exp) {
    return xrpcPath(GROUP_GET_KEY, "group_id=" + encode(membership.group().id()))
        + " "
        + token(membership.member(), GROUP_GET_KEY, exp);
  }

  private String token(TestUser user, String nsid, long exp) {
    return user.tokenBuilder(settings.serviceDid(), nsid).claim("exp", exp).build();
  }

  /** Calls an XRPC method as {@code user} with a fresh token; anything but a 200 stops the run. */
  private void call(String method, String nsid, String query, TestUser user, String jsonBody)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(settings.keyserver().resolve(xrpcPath(nsid, query)))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + user.token(settings.serviceDid(), nsid));
    if (jsonBody == null) {
      request.GET();
    } else {
      request
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(jsonBody));
    }
    HttpResponse<String> response = send(request.build());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          "%s %s as %s: %d %s"
              .formatted(method, nsid, user.did(), response.statusCode(), response.body()));
    }
  }

  /**
   * Sends a seeding request, trying again (up to {@value #CONNECT_ATTEMPTS} times in all) when the
   * connection cannot be made: on a shared, loaded machine a loopback connect now and then outlasts
   * the client's 5 s connect timeout. Nothing was sent then, so a retry cannot repeat a request.
   */
  private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
    for (int attempt = 1; ; attempt++) {
      try {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
      } catch (ConnectException e) {
        if (attempt == CONNECT_ATTEMPTS) {
          throw e;
        }
        Thread.sleep(1_000);
      }
    }
  }

  /** One seeding step for one item; may fail with a checked exception. */
  @FunctionalInterface
  interface Step<T> {
    void accept(T item) throws Exception;
  }

  /**
   * Runs {@code step} for every item, {@value #SEED_CONCURRENCY} at a time; the first error wins.
   */
  private static <T> void inParallel(List<T> items, Step<T> step) throws InterruptedException {
    try (ExecutorService pool = Executors.newFixedThreadPool(SEED_CONCURRENCY)) {
      List<Future<Void>> futures = new ArrayList<>();
      for (T item : items) {
        futures.add(
            pool.submit(
                () -> {
                  step.accept(item);
                  return null;
                }));
      }
      for (Future<Void> future : futures) {
        try {
          future.get();
        } catch (ExecutionException e) {
          pool.shutdownNow();
          throw new IllegalStateException("seeding failed: " + e.getCause().getMessage(), e);
        }
      }
    }
  }

  private static String xrpcPath(String nsid, String query) {
    return "/xrpc/" + nsid + (query.isEmpty() ? "" : "?" + query);
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  /** One request a line; written aside and moved into place, like every file the script reads. */
  private void writeLines(String name, List<String> lines) throws IOException {
    Path temporary = settings.dir().resolve(name + ".tmp");
    try (BufferedWriter writer = Files.newBufferedWriter(temporary)) {
      for (String line : lines) {
        writer.write(line);
        writer.write('\n');
      }
    }
    Files.move(temporary, settings.dir().resolve(name), StandardCopyOption.ATOMIC_MOVE);
  }

  /** The script polls for these files: they must appear complete or not at all. */
  private static void writeAtomically(Path file, String text) throws IOException {
    Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(temporary, text);
    Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
  }

  private static double seconds(long sinceNanos) {
    return (System.nanoTime() - sinceNanos) / 1e9;
  }

  private static void log(String message) {
    System.out.println("[fixture] " + message);
  }
}
