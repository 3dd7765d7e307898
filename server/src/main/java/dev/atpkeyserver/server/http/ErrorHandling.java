package dev.atpkeyserver.server.http;

import dev.atpkeyserver.server.observe.RequestId;
import dev.atpkeyserver.server.ratelimit.RateLimits;
import dev.atpkeyserver.xrpc.ErrorBodies;
import dev.atpkeyserver.xrpc.ErrorKind;
import dev.atpkeyserver.xrpc.KeyserverException;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpException;
import io.helidon.http.Status;
import io.helidon.webserver.http.DirectHandlers;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.lang.System.Logger.Level;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Turns every failure, from every layer, into the contract's error body {@code {"error": "<reason
 * phrase>", "message": "..."}} written by {@link ErrorBodies}. Internal details never reach the
 * client: a 500 carries a generic message and a short id that is also in the server log with the
 * cause.
 */
public final class ErrorHandling {

  private static final System.Logger LOG = System.getLogger(ErrorHandling.class.getName());

  /**
   * Helidon 4.1.7 reports headers over {@code max-headers-size} as a plain 400 with this message;
   * it is the only thing that tells them from other malformed headers. RequestLimitsTest pins it.
   */
  private static final String HEADERS_TOO_LARGE_MESSAGE = "Header size exceeded";

  private static final Set<String> RETRYABLE_STATES =
      Set.of("55P03", "57014", "57P01", "57P02", "57P03", "40P01", "40001", "HYT00");

  private ErrorHandling() {}

  /** Registers the error handlers on a routing, for failures inside request handling. */
  public static void register(HttpRouting.Builder routing) {
    // Helidon clears the response headers before an error handler runs: each handler first puts
    // back the ones every response carries.
    routing.error(
        KeyserverException.class,
        (req, res, e) -> {
          restoreHeaders(req, res);
          ErrorBodies.send(res, e);
        });
    routing.error(
        HttpException.class,
        (req, res, e) -> {
          restoreHeaders(req, res);
          ErrorKind kind = kindOf(e.status());
          if (kind == ErrorKind.INTERNAL) {
            sendInternal(req, res, e);
          } else {
            // Helidon's own messages may quote the request; send only our generic wording.
            ErrorBodies.send(res, kind, genericMessage(kind));
          }
        });
    routing.error(
        Throwable.class,
        (req, res, e) -> {
          restoreHeaders(req, res);
          sendInternal(req, res, e);
        });
  }

  /**
   * The rate-limit headers, the request id and {@code Cache-Control}, which Helidon removed before
   * the handler ran.
   */
  private static void restoreHeaders(ServerRequest req, ServerResponse res) {
    RateLimits.restoreHeaders(req, res);
    RequestId.of(req).ifPresent(id -> res.header(RequestId.HEADER, id.value()));
    CacheControl.restore(req, res);
  }

  /**
   * Handlers for failures that happen before routing (unparseable request line or headers, a body
   * over {@code server.max-payload-size}, a request line or headers over the limits set in {@code
   * Keyserver}), so those answers use the contract's format too: 400, 413, 414 or 431.
   */
  public static DirectHandlers directHandlers() {
    DirectHandler handler =
        (request, eventType, defaultStatus, headers, message) -> {
          ErrorKind kind =
              HEADERS_TOO_LARGE_MESSAGE.equals(message)
                  ? ErrorKind.REQUEST_HEADER_FIELDS_TOO_LARGE
                  : kindOf(defaultStatus);
          return DirectHandler.TransportResponse.builder()
              .status(Status.create(kind.status(), kind.reasonPhrase()))
              .header(HeaderNames.CONTENT_TYPE, "application/json")
              // The path may not even be parsed yet: an error is never worth storing.
              .header(CacheControl.NO_STORE)
              .entity(ErrorBodies.json(kind, genericMessage(kind)))
              .keepAlive(eventType.keepAlive())
              .build();
        };
    DirectHandlers.Builder builder = DirectHandlers.builder();
    for (DirectHandler.EventType type : DirectHandler.EventType.values()) {
      builder.addHandler(type, handler);
    }
    return builder.build();
  }

  private static void sendInternal(ServerRequest req, ServerResponse res, Throwable e) {
    if (isDatabaseUnavailable(e)) {
      LOG.log(Level.WARNING, "Database busy or unavailable: " + e);
      ErrorBodies.send(
          res, ErrorKind.SERVICE_UNAVAILABLE, "Database busy or unavailable, try again");
      return;
    }
    // The request id, so the log line of the request and this entry can be found from the body.
    String errorId =
        RequestId.of(req)
            .map(RequestId::value)
            .orElseGet(() -> HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()));
    LOG.log(Level.ERROR, "Internal error " + errorId, e);
    ErrorBodies.send(res, ErrorKind.INTERNAL, "Internal server error (id " + errorId + ")");
  }

  /**
   * A failure the client can retry: a lost or refused connection (SQLSTATE class 08), a server
   * shutting down, crashing or starting up (57P01, 57P02, 57P03: PostgreSQL ends sessions with
   * these when it stops, before the connection drops), a lock wait or statement that ran out of
   * time (55P03, 57014, H2's HYT00), a deadlock or serialisation failure (40P01, 40001), or no
   * pooled connection in time. Not a bug, so 503 rather than 500.
   */
  static boolean isDatabaseUnavailable(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLTransientConnectionException) {
        return true;
      }
      if (t instanceof SQLException sql && sql.getSQLState() != null) {
        String state = sql.getSQLState();
        if (state.startsWith("08") || RETRYABLE_STATES.contains(state)) {
          return true;
        }
      }
    }
    return false;
  }

  private static ErrorKind kindOf(Status status) {
    int code = status.code();
    return ErrorKind.forStatus(code)
        .orElse(code >= 500 ? ErrorKind.INTERNAL : ErrorKind.BAD_REQUEST);
  }

  private static String genericMessage(ErrorKind kind) {
    return switch (kind) {
      case BAD_REQUEST -> "Malformed request";
      case NOT_FOUND -> "No such endpoint";
      case PAYLOAD_TOO_LARGE -> "Request too large";
      case URI_TOO_LONG -> "Request line too long";
      case REQUEST_HEADER_FIELDS_TOO_LARGE -> "Request headers too large";
      case UNSUPPORTED_MEDIA_TYPE -> "Content-Type must be application/json";
      case INTERNAL -> "Internal server error";
      default -> kind.reasonPhrase();
    };
  }
}
