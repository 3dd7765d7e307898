package dev.atpkeyserver.server.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.atpkeyserver.did.KeyCurve;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real local HTTP server (the JDK's, one virtual thread per exchange) standing in for a PLC
 * directory or a did:web host that misbehaves on demand: for each DID it serves the document or
 * plays a {@link DidHostFault}. {@link DidHostFault#DOWN} stops the whole server, so connections
 * are refused, until {@link #heal} starts it again on the same port.
 *
 * <p>PLC DIDs are served at {@code /<did>}, a did:web at {@code /.well-known/did.json} (one did:web
 * per host: {@link #webUser()}).
 */
public final class FaultyDidHost implements AutoCloseable {

  /** How long a {@link DidHostFault#SLOW} answer takes. */
  public static final int SLOW_MILLIS = 5_000;

  private static final String WEB_PATH = "/.well-known/did.json";

  private final Map<String, Answer> answers = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
  private final int port;
  private volatile DidHostFault unknownDids;
  private volatile HttpServer server;
  private boolean down;

  private record Answer(TestUser user, DidHostFault fault) {}

  /** Starts on a free loopback port; DIDs it was not told about get a bare 404. */
  public FaultyDidHost() {
    this.server = listen(0);
    this.port = server.getAddress().getPort();
  }

  /** The URL to configure as {@code keyserver.plc-url}. */
  public String url() {
    return "http://127.0.0.1:" + port;
  }

  /** A user whose did:web ({@code did:web:localhost%3A<port>}) is served by this host. */
  public TestUser webUser() {
    return TestUser.withDid("did:web:localhost%3A" + port, KeyCurve.P256);
  }

  /** Serves the user's DID document. */
  public TestUser publish(TestUser user) {
    answers.put(pathOf(user.did()), new Answer(user, null));
    return user;
  }

  /** Plays {@code fault} for the user's DID ({@code DOWN}: for every DID). */
  public synchronized void fail(TestUser user, DidHostFault fault) {
    answers.put(pathOf(user.did()), new Answer(user, fault));
    if (fault == DidHostFault.DOWN && !down) {
      server.stop(0);
      down = true;
    }
  }

  /** Plays {@code fault} for every DID it was not told about (instead of a 404). */
  public void failUnknownDids(DidHostFault fault) {
    unknownDids = fault;
  }

  /** Serves the user's document again, starting the server again if it was down. */
  public synchronized void heal(TestUser user) {
    publish(user);
    if (down) {
      server = listen(port);
      down = false;
    }
  }

  /** How many requests for the user's DID arrived. */
  public int requestCount(TestUser user) {
    AtomicInteger count = requests.get(pathOf(user.did()));
    return count == null ? 0 : count.get();
  }

  /** How many requests arrived in all. */
  public int requestCount() {
    return requests.values().stream().mapToInt(AtomicInteger::get).sum();
  }

  private HttpServer listen(int onPort) {
    try {
      HttpServer created =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort), 200);
      created.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
      created.createContext("/", this::handle);
      created.start();
      return created;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    requests.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
    try (exchange) {
      Answer answer = answers.get(path);
      if (answer == null) {
        if (unknownDids == DidHostFault.SLOW) {
          sleep(SLOW_MILLIS);
        }
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      TestUser user = answer.user();
      String document = DidDirectory.documentFor(user);
      DidHostFault fault = answer.fault();
      if (fault == null) {
        send(exchange, 200, "application/did+ld+json", document);
        return;
      }
      switch (fault) {
        case DOWN -> exchange.sendResponseHeaders(503, -1); // a request racing the stop
        case SLOW -> {
          sleep(SLOW_MILLIS);
          send(exchange, 200, "application/did+ld+json", document);
        }
        case NOT_JSON -> send(exchange, 200, "text/html", "<html><body>Welcome!</body></html>");
        case WRONG_SHAPE ->
            send(
                exchange,
                200,
                "application/json",
                "{\"id\":\"" + user.did() + "\",\"verificationMethod\":{\"id\":\"#atproto\"}}");
        case OTHER_DID ->
            send(
                exchange,
                200,
                "application/did+ld+json",
                document.replace(user.did(), "did:plc:someoneelse234567abcdefg"));
        case HUGE -> sendHuge(exchange, document);
        case HTTP_500 -> send(exchange, 500, "text/html", "<html>Internal Server Error</html>");
      }
    } catch (IOException e) {
      // The keyserver hung up (timeout, size cap): expected for several faults.
    }
  }

  private static void send(HttpExchange exchange, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  /** A valid document followed by 1 MiB of JSON whitespace, chunked: only the size cap stops it. */
  private static void sendHuge(HttpExchange exchange, String document) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "application/did+ld+json");
    exchange.sendResponseHeaders(200, 0);
    OutputStream out = exchange.getResponseBody();
    out.write(document.getBytes(StandardCharsets.UTF_8));
    byte[] padding = new byte[16 * 1024];
    Arrays.fill(padding, (byte) ' ');
    for (int i = 0; i < 64; i++) {
      out.write(padding);
    }
  }

  private static void sleep(int millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String pathOf(String did) {
    return did.startsWith("did:web:") ? WEB_PATH : "/" + did;
  }

  @Override
  public synchronized void close() {
    if (!down) {
      server.stop(0);
      down = true;
    }
  }
}
