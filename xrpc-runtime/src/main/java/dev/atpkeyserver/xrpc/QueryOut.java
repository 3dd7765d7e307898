package dev.atpkeyserver.xrpc;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Objects;

/**
 * Writes XRPC query parameters as a query string, the client-side counterpart of {@link
 * QueryParams}. Generated {@code Params.writeQuery} methods use it. Every name and value is
 * percent-encoded as RFC 3986 asks (everything but {@code A-Z a-z 0-9 - . _ ~}, UTF-8), so DIDs,
 * {@code #} in group ids and {@code +} in datetimes arrive unchanged; an array parameter is the
 * name repeated once per item, as {@link QueryParams} reads it.
 *
 * <p>Not thread-safe; use one instance per request.
 */
public final class QueryOut {

  private static final DateTimeFormatter DATETIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private final StringBuilder query = new StringBuilder();

  /** An empty query. */
  public QueryOut() {}

  /**
   * Adds a parameter.
   *
   * @param name the parameter's wire name
   * @param value its value
   * @return this writer
   */
  public QueryOut add(String name, String value) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
    if (!query.isEmpty()) {
      query.append('&');
    }
    encode(name);
    query.append('=');
    encode(value);
    return this;
  }

  /**
   * Adds an integer parameter.
   *
   * @param name the parameter's wire name
   * @param value its value
   * @return this writer
   */
  public QueryOut add(String name, long value) {
    return add(name, Long.toString(value));
  }

  /**
   * Adds a boolean parameter, as {@code true} or {@code false}.
   *
   * @param name the parameter's wire name
   * @param value its value
   * @return this writer
   */
  public QueryOut add(String name, boolean value) {
    return add(name, Boolean.toString(value));
  }

  /**
   * Adds a datetime parameter in the form {@link JsonOut} writes datetimes: UTC with milliseconds.
   *
   * @param name the parameter's wire name
   * @param value its value
   * @return this writer
   */
  public QueryOut add(String name, Instant value) {
    Objects.requireNonNull(value, "value");
    return add(name, DATETIME.format(value));
  }

  /** Whether no parameter was added. */
  public boolean isEmpty() {
    return query.isEmpty();
  }

  /** The query string without the leading {@code ?}, such as {@code did=did%3Aplc%3Aabc}. */
  @Override
  public String toString() {
    return query.toString();
  }

  private void encode(String text) {
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '.'
          || c == '_'
          || c == '~') {
        query.append((char) c);
      } else {
        query.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
      }
    }
  }
}
