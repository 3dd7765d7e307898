package dev.atpkeyserver.server.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PDS and PLC directory in one small HTTP server, for a browser signing in the way the account
 * page does: {@code com.atproto.identity.resolveHandle}, DID documents naming this server as the
 * PDS, {@code com.atproto.server.createSession} with an app password, and {@code
 * com.atproto.server.getServiceAuth} minting real service tokens with the user's key (the keyserver
 * verifies them against the documents served here). Every answer allows any origin (CORS), as PDSes
 * and the PLC directory do.
 */
public final class StandInPds implements AutoCloseable {

  private static final Pattern STRING_FIELD = Pattern.compile("\"(\\w+)\"\\s*:\\s*\"([^\"]*)\"");

  private record Account(TestUser user, String handle, String appPassword) {}

  private final HttpServer server;
  private final Map<String, Account> byHandle = new ConcurrentHashMap<>();
  private final Map<String, Account> byDid = new ConcurrentHashMap<>();
  private final Map<String, Account> sessions = new ConcurrentHashMap<>();
  private final List<String> serviceAuthRequests = new CopyOnWriteArrayList<>();

  /** Starts on a free loopback port. */
  public StandInPds() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    server.createContext("/", this::handle);
    server.start();
  }

  /** The base URL: the PDS endpoint in the documents, and the PLC directory URL. */
  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Adds an account and publishes its DID document, naming this server as its PDS. */
  public TestUser addAccount(TestUser user, String handle, String appPassword) {
    Account account = new Account(user, handle, appPassword);
    byHandle.put(handle, account);
    byDid.put(user.did(), account);
    return user;
  }

  /** The {@code aud lxm} of every service token minted, in order. */
  public List<String> serviceAuthRequests() {
    return List.copyOf(serviceAuthRequests);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      exchange.getResponseHeaders().add("Access-Control-Allow-Origin", "*");
      exchange
          .getResponseHeaders()
          .add("Access-Control-Allow-Headers", "authorization, content-type");
      exchange.getResponseHeaders().add("Access-Control-Allow-Methods", "GET, POST");
      if (exchange.getRequestMethod().equals("OPTIONS")) {
        exchange.sendResponseHeaders(204, -1);
        return;
      }
      String path = exchange.getRequestURI().getPath();
      Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
      switch (path) {
        case "/xrpc/com.atproto.identity.resolveHandle" -> resolveHandle(exchange, query);
        case "/xrpc/com.atproto.server.createSession" -> createSession(exchange);
        case "/xrpc/com.atproto.server.getServiceAuth" -> getServiceAuth(exchange, query);
        default -> document(exchange, URLDecoder.decode(path.substring(1), StandardCharsets.UTF_8));
      }
    }
  }

  private void resolveHandle(HttpExchange exchange, Map<String, String> query) throws IOException {
    Account account = byHandle.get(query.getOrDefault("handle", ""));
    if (account == null) {
      error(exchange, 400, "InvalidRequest", "Unable to resolve handle");
    } else {
      json(exchange, 200, "{\"did\":\"" + account.user().did() + "\"}");
    }
  }

  private void createSession(HttpExchange exchange) throws IOException {
    Map<String, String> body = new HashMap<>();
    Matcher field =
        STRING_FIELD.matcher(
            new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
    while (field.find()) {
      body.put(field.group(1), field.group(2));
    }
    String identifier = body.getOrDefault("identifier", "");
    Account account = byHandle.getOrDefault(identifier, byDid.get(identifier));
    if (account == null || !account.appPassword().equals(body.get("password"))) {
      error(exchange, 401, "AuthenticationRequired", "Invalid identifier or password");
      return;
    }
    String accessJwt = "access-" + UUID.randomUUID();
    sessions.put(accessJwt, account);
    json(
        exchange,
        200,
        """
        {"did":"%s","handle":"%s","accessJwt":"%s","refreshJwt":"refresh-%s","active":true}"""
            .formatted(account.user().did(), account.handle(), accessJwt, UUID.randomUUID()));
  }

  private void getServiceAuth(HttpExchange exchange, Map<String, String> query) throws IOException {
    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
    Account account =
        authorization == null ? null : sessions.get(authorization.replaceFirst("^Bearer ", ""));
    if (account == null) {
      error(exchange, 401, "AuthenticationRequired", "Invalid access token");
      return;
    }
    String aud = query.get("aud");
    String lxm = query.get("lxm");
    serviceAuthRequests.add(aud + " " + lxm);
    json(exchange, 200, "{\"token\":\"" + account.user().token(aud, lxm) + "\"}");
  }

  private void document(HttpExchange exchange, String did) throws IOException {
    Account account = byDid.get(did);
    if (account == null) {
      error(exchange, 404, "NotFound", "DID not registered: " + did);
      return;
    }
    json(
        exchange,
        200,
        DidDirectory.documentFor(account.user())
            .replace("https://pds.test", url())
            .replace("at://user.test", "at://" + account.handle()));
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> values = new HashMap<>();
    if (raw != null) {
      for (String pair : raw.split("&", -1)) {
        int equals = pair.indexOf('=');
        if (equals > 0) {
          values.put(
              URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
              URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
        }
      }
    }
    return values;
  }

  private static void error(HttpExchange exchange, int status, String error, String message)
      throws IOException {
    json(exchange, status, "{\"error\":\"" + error + "\",\"message\":\"" + message + "\"}");
  }

  private static void json(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
