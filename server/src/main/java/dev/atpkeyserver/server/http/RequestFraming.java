package dev.atpkeyserver.server.http;

import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.RequestException;
import io.helidon.http.Status;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http1.Http1ConnectionListener;
import java.util.List;

/**
 * Refuses a request whose body length is ambiguous before anything routes it (RFC 9112 §6.3): more
 * than one {@code Content-Length}, one that is not plain digits ({@code +36}), {@code
 * Content-Length} together with {@code Transfer-Encoding}, or a {@code Transfer-Encoding} other
 * than a single {@code chunked}. A front proxy may frame such a request differently from Helidon
 * (which reads the first {@code Content-Length} and ignores codings it does not know), and the
 * bytes one of them takes as body the other serves as a second request: request smuggling. The
 * answer is the contract's 400 through {@link ErrorHandling#directHandlers}, and the connection is
 * closed, so nothing after this request's head is read.
 *
 * <p>@NOTE Helidon 4.1.7 has no HTTP/1 option for this. Its connection loop calls the receive
 * listener's {@code headers} (here through {@link RequestHeadChecks}) once a request's head is
 * parsed, before routing and inside the loop's error handling: a {@link RequestException} thrown
 * there is answered by the direct handlers and ends the connection, as Helidon's own parse errors
 * are. RequestFramingTest pins that behaviour.
 */
public final class RequestFraming implements Http1ConnectionListener {

  /** The one instance: it holds no state. */
  public static final RequestFraming LISTENER = new RequestFraming();

  /**
   * Longest accepted {@code Content-Length}: any 18 digits fit in a long, and a longer one is no
   * length this server could take anyway.
   */
  private static final int MAX_LENGTH_DIGITS = 18;

  private RequestFraming() {}

  @Override
  public void headers(ConnectionContext ctx, Headers headers) {
    boolean hasLength = headers.contains(HeaderNames.CONTENT_LENGTH);
    boolean hasCodings = headers.contains(HeaderNames.TRANSFER_ENCODING);
    if (!hasLength && !hasCodings) {
      return;
    }
    if (hasLength && hasCodings) {
      throw ambiguous();
    }
    if (hasLength) {
      String length = single(headers, HeaderNames.CONTENT_LENGTH);
      if (!isDigits(length)) {
        throw ambiguous();
      }
    } else if (!"chunked".equalsIgnoreCase(single(headers, HeaderNames.TRANSFER_ENCODING))) {
      throw ambiguous();
    }
  }

  /** The value of a field that must appear once with one value, else the request is refused. */
  private static String single(Headers headers, HeaderName name) {
    List<String> values = headers.all(name, List::of);
    if (values.size() != 1) {
      throw ambiguous();
    }
    return values.getFirst().strip();
  }

  /** RFC 9110 §8.6: {@code Content-Length = 1*DIGIT}; no sign, no spaces, no other digits. */
  private static boolean isDigits(String value) {
    if (value.isEmpty() || value.length() > MAX_LENGTH_DIGITS) {
      return false;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  private static RequestException ambiguous() {
    return RequestException.builder()
        .type(DirectHandler.EventType.BAD_REQUEST)
        .status(Status.BAD_REQUEST_400)
        .setKeepAlive(false)
        .message("Ambiguous request body length")
        .build();
  }
}
