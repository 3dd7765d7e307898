package dev.atpkeyserver.server.observe;

import io.helidon.webserver.http.ServerRequest;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The id of one request: 16 hex digits, random, sent back as {@code X-Request-Id}, written in the
 * request log line and in the log entry of a 500. A client-sent {@code X-Request-Id} is ignored: it
 * could be forged to collide with or spoof another request's log lines, or to inject text into the
 * log.
 *
 * @param value the 16 hex digits
 */
public record RequestId(String value) {

  /** The response header carrying the id. */
  public static final String HEADER = "X-Request-Id";

  private static final HexFormat HEX = HexFormat.of();

  /** A new random id; 64 bits make collisions within any log's retention negligible. */
  static RequestId generate() {
    return new RequestId(HEX.toHexDigits(ThreadLocalRandom.current().nextLong()));
  }

  /**
   * The id {@link RequestObserver} gave this request, if it passed through it.
   *
   * @param request the request
   * @return its id
   */
  public static Optional<RequestId> of(ServerRequest request) {
    return request.context().get(RequestId.class);
  }

  @Override
  public String toString() {
    return value;
  }
}
