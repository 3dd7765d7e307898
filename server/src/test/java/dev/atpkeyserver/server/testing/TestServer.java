package dev.atpkeyserver.server.testing;

import dev.atpkeyserver.server.Keyserver;
import dev.atpkeyserver.server.db.Database;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A keyserver started for a test, with a plain HTTP client pointed at it. */
public final class TestServer implements AutoCloseable {

  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final Keyserver keyserver;

  TestServer(Keyserver keyserver) {
    this.keyserver = keyserver;
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
