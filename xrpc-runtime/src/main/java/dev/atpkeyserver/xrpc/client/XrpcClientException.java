package dev.atpkeyserver.xrpc.client;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Optional;

/**
 * The one exception an {@link XrpcClient} call throws when the server answered but not with the
 * method's output: an XRPC error body ({@code {"error": ..., "message": ...}}) with a non-2xx
 * status, or a response the client cannot read ({@value #INVALID_RESPONSE}).
 *
 * <p>It carries what the server said: the HTTP {@link #status()}, the contract's {@link #error()}
 * (the keyserver sends the reason phrase, such as {@code Not Found}; a PDS in between may send its
 * own names, such as {@code ExpiredToken}), the {@link #errorMessage()} and every response {@link
 * #headers()} ({@code Retry-After} and {@code X-RateLimit-*} on a 429, {@code WWW-Authenticate} on
 * a 401).
 *
 * <p>No answer at all (a refused connection, a timeout) is an {@link java.io.UncheckedIOException}
 * instead, so that callers can tell "the server said no" from "the server could not be reached".
 */
public final class XrpcClientException extends RuntimeException {

  /** The {@link #error()} for a response that is not the method's output nor an error body. */
  public static final String INVALID_RESPONSE = "InvalidResponse";

  private static final long serialVersionUID = 1L;

  private final String nsid;
  private final int status;
  private final String error;
  private final String errorMessage;
  private final transient HttpHeaders headers;

  /**
   * An error answer.
   *
   * @param nsid the method called
   * @param status the HTTP status
   * @param error the {@code error} member of the body, or a stand-in when there was none
   * @param errorMessage the {@code message} member, or {@code null} when there was none
   * @param headers the response headers
   */
  public XrpcClientException(
      String nsid, int status, String error, String errorMessage, HttpHeaders headers) {
    super(
        nsid
            + ": "
            + status
            + " "
            + Objects.requireNonNull(error, "error")
            + (errorMessage == null ? "" : ": " + errorMessage));
    this.nsid = Objects.requireNonNull(nsid, "nsid");
    this.status = status;
    this.error = error;
    this.errorMessage = errorMessage;
    this.headers = Objects.requireNonNull(headers, "headers");
  }

  /** The NSID of the method that failed. */
  public String nsid() {
    return nsid;
  }

  /** The HTTP status code. */
  public int status() {
    return status;
  }

  /**
   * The {@code error} member of the error body. When the body had none (not JSON, say, from a proxy
   * in between) it is the status's reason phrase, or {@code Unknown}; for a 2xx response that is
   * not the method's output it is {@value #INVALID_RESPONSE}.
   */
  public String error() {
    return error;
  }

  /** The {@code message} member of the error body, if it had one. */
  public Optional<String> errorMessage() {
    return Optional.ofNullable(errorMessage);
  }

  /** Every header of the response. */
  public HttpHeaders headers() {
    return headers;
  }

  /**
   * How long the server asks the client to wait before trying again: its {@code Retry-After}
   * header, in seconds or as an HTTP date (counted from now, never negative).
   *
   * @return the wait, or empty when the header is absent or unreadable
   */
  public Optional<Duration> retryAfter() {
    return headers.firstValue("Retry-After").flatMap(XrpcClientException::parseRetryAfter);
  }

  private static Optional<Duration> parseRetryAfter(String value) {
    String text = value.trim();
    if (text.matches("\\d{1,10}")) {
      return Optional.of(Duration.ofSeconds(Long.parseLong(text)));
    }
    try {
      Instant at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      Duration wait = Duration.between(Instant.now(), at);
      return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
