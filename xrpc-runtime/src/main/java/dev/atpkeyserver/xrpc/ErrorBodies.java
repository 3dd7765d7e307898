package dev.atpkeyserver.xrpc;

import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import java.util.Map;
import java.util.Objects;

/**
 * The one place that writes error bodies. Every error the keyserver sends has the contract's shape,
 * {@code {"error": "<reason phrase>", "message": "<message>"}}, with {@code Content-Type:
 * application/json}.
 */
public final class ErrorBodies {

  /** {@code Content-Type: application/json}, the media type of every keyserver response. */
  public static final Header CONTENT_TYPE_JSON =
      HeaderValues.createCached(HeaderNames.CONTENT_TYPE, "application/json");

  private ErrorBodies() {}

  /**
   * The error body for a kind and message.
   *
   * @param kind the error kind, whose reason phrase becomes {@code error}
   * @param message the message for the client
   * @return the body as UTF-8 JSON
   */
  public static byte[] json(ErrorKind kind, String message) {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(message, "message");
    JsonOut out = new JsonOut(64 + message.length());
    out.beginObject()
        .name("error")
        .value(kind.reasonPhrase())
        .name("message")
        .value(message)
        .endObject();
    return out.toBytes();
  }

  /**
   * Sends an error response: status, {@code Content-Type: application/json} and the body. Does
   * nothing if the response was already sent, since nothing can be added to it then.
   *
   * @param res the response
   * @param kind the error kind
   * @param message the message for the client
   */
  public static void send(ServerResponse res, ErrorKind kind, String message) {
    send(res, kind, message, Map.of());
  }

  /**
   * Sends the error an exception describes, with its extra headers.
   *
   * @param res the response
   * @param e the error
   */
  public static void send(ServerResponse res, KeyserverException e) {
    send(res, e.kind(), e.safeMessage(), e.headers());
  }

  private static void send(
      ServerResponse res, ErrorKind kind, String message, Map<String, String> headers) {
    if (res.isSent()) {
      return;
    }
    byte[] body = json(kind, message);
    res.status(Status.create(kind.status(), kind.reasonPhrase()));
    headers.forEach((name, value) -> res.header(name, value));
    res.header(CONTENT_TYPE_JSON);
    res.send(body);
  }
}
