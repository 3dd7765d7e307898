package dev.atpkeyserver.server.testing;

import dev.atpkeyserver.lexicon.client.KeyserverClient;
import dev.atpkeyserver.server.Keyserver;
import dev.atpkeyserver.server.db.Database;
import dev.atpkeyserver.xrpc.client.XrpcClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A keyserver started for a test: the typed client to call its API ({@link #as}, {@link
 * #anonymous}) and a plain HTTP client for tests about raw HTTP ({@link #get}, {@link #send}).
 */
public final class TestServer implements AutoCloseable {

  /** What the typed clients send as {@code User-Agent}; the access log records it. */
  public static final String USER_AGENT = "keyserver-tests/1.0";

  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final Keyserver keyserver;
  private final String serviceDid;

  TestServer(Keyserver keyserver, String serviceDid) {
    this.keyserver = keyserver;
    this.serviceDid = serviceDid;
  }

  /**
   * The typed client, calling as {@code user} with a fresh service token per call (audience this
   * server's DID, {@code lxm} the method), strict about the lexicons: an answer with a member the
   * lexicon does not declare, or not {@code application/json}, fails the call.
   */
  public KeyserverClient as(TestUser user) {
    return new KeyserverClient(xrpc().serviceAuth(user.tokensFor(serviceDid)).build());
  }

  /** The typed client without a token, for the public methods; strict like {@link #as}. */
  public KeyserverClient anonymous() {
    return new KeyserverClient(xrpc().build());
  }

  /**
   * The builder behind {@link #as} and {@link #anonymous}, for a client with something more: a
   * header ({@code X-Forwarded-For}), or tokens of a test's own making.
   */
  public XrpcClient.Builder xrpc() {
    return XrpcClient.builder(baseUri())
        .httpClient(CLIENT)
        .timeout(Duration.ofSeconds(30))
        .userAgent(USER_AGENT)
        .strict();
  }

  /** This server's DID, the audience of its service tokens. */
  public String serviceDid() {
    return serviceDid;
  }

  /** The server's base URI, e.g. {@code http://127.0.0.1:41234}. */
  public URI baseUri() {
    return URI.create("http://127.0.0.1:" + keyserver.port());
  }

  /** The base URI of a named socket from {@code server.sockets}. */
  public URI baseUri(String socket) {
    int port = keyserver.port(socket);
    if (port < 0) {
      throw new IllegalStateException("no socket named " + socket);
    }
    return URI.create("http://127.0.0.1:" + port);
  }

  /** The database behind the server, for assertions on stored rows. */
  public Database database() {
    return keyserver.database();
  }

  /** Whether the server currently serves key reads from its cache (see Keyserver). */
  public boolean keyCacheServing() {
    return keyserver.keyCacheServing();
  }

  /** Waits until the access-log entries of the requests answered so far are stored. */
  public void awaitAccessLogWrites() {
    keyserver.awaitAccessLogWrites();
  }

  /** A request builder for {@code pathAndQuery} on this server. */
  public HttpRequest.Builder request(String pathAndQuery) {
    return HttpRequest.newBuilder(baseUri().resolve(pathAndQuery)).timeout(Duration.ofSeconds(30));
  }

  /** {@code GET pathAndQuery} with optional header name/value pairs. */
  public HttpResponse<String> get(String pathAndQuery, String... headers) {
    HttpRequest.Builder builder = request(pathAndQuery).GET();
    if (headers.length > 0) {
      builder.headers(headers);
    }
    return send(builder.build());
  }

  /** {@code POST pathAndQuery} with a JSON body and optional header name/value pairs. */
  public HttpResponse<String> postJson(String pathAndQuery, String json, String... headers) {
    HttpRequest.Builder builder =
        request(pathAndQuery)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json));
    if (headers.length > 0) {
      builder.headers(headers);
    }
    return send(builder.build());
  }

  /** Sends any request to this server. */
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

  @Override
  public void close() {
    keyserver.close();
  }
}
