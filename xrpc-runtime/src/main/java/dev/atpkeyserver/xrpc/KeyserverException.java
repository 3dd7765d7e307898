package dev.atpkeyserver.xrpc;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The one exception services and generated code throw to end a request with an error. It carries
 * the {@link ErrorKind} (and so the HTTP status), a message that is sent to the client as is, and
 * optional response headers such as {@code WWW-Authenticate} or {@code Retry-After}.
 *
 * <p>The message is shown to clients, so it must never contain secrets, tokens, stack traces or
 * submitted values; put details in the cause and log them instead.
 */
public class KeyserverException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final ErrorKind kind;
  private final String safeMessage;
  private final Map<String, String> headers;

  /**
   * An error without extra headers.
   *
   * @param kind what went wrong, which decides the HTTP status
   * @param safeMessage the message for the client
   */
  public KeyserverException(ErrorKind kind, String safeMessage) {
    this(kind, safeMessage, Map.of(), null);
  }

  /**
   * An error with extra response headers.
   *
   * @param kind what went wrong, which decides the HTTP status
   * @param safeMessage the message for the client
   * @param headers response headers to send with the error, for example {@code WWW-Authenticate}
   */
  public KeyserverException(ErrorKind kind, String safeMessage, Map<String, String> headers) {
    this(kind, safeMessage, headers, null);
  }

  /**
   * An error caused by another exception, which is kept for the log but never shown to the client.
   *
   * @param kind what went wrong, which decides the HTTP status
   * @param safeMessage the message for the client
   * @param cause the underlying failure
   */
  public KeyserverException(ErrorKind kind, String safeMessage, Throwable cause) {
    this(kind, safeMessage, Map.of(), cause);
  }

  /**
   * An error with extra response headers and a cause.
   *
   * @param kind what went wrong, which decides the HTTP status
   * @param safeMessage the message for the client
   * @param headers response headers to send with the error
   * @param cause the underlying failure, or {@code null}
   */
  public KeyserverException(
      ErrorKind kind, String safeMessage, Map<String, String> headers, Throwable cause) {
    super(safeMessage, cause);
    this.kind = Objects.requireNonNull(kind, "kind");
    this.safeMessage = Objects.requireNonNull(safeMessage, "safeMessage");
    this.headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
  }

  /** What went wrong; decides the HTTP status and the {@code error} member of the body. */
  public ErrorKind kind() {
    return kind;
  }

  /** The message for the client. */
  public String safeMessage() {
    return safeMessage;
  }

  /** Response headers to send with the error (unmodifiable, possibly empty). */
  public Map<String, String> headers() {
    return headers;
  }
}
