package dev.atpkeyserver.server.observe;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One line per answered request on the JUL logger {@value #LOGGER}, so operators can route it to
 * its own handler or silence it ({@code dev.atpkeyserver.request.level=OFF}):
 *
 * <pre>id=5f0c2a9be1d34f70 method=GET route=dev.atpkeyserver.alpha.group.getKey status=200 ms=1.204
 * </pre>
 *
 * <p>It holds no query string (it carries DIDs and group ids), no headers (Authorization holds the
 * token), no client address and no body. The line is built with one {@link StringBuilder}; when the
 * logger is off it is not built at all.
 */
final class RequestLog {

  /** The logger's name; not a class name, so it stays stable under refactoring. */
  static final String LOGGER = "dev.atpkeyserver.request";

  private static final Logger LOG = Logger.getLogger(LOGGER);

  private RequestLog() {}

  static void log(RequestId id, String method, String route, int status, long nanos) {
    if (!LOG.isLoggable(Level.INFO)) {
      return;
    }
    StringBuilder line = new StringBuilder(120);
    line.append("id=")
        .append(id.value())
        .append(" method=")
        .append(method)
        .append(" route=")
        .append(route)
        .append(" status=")
        .append(status)
        .append(" ms=");
    appendMillis(line, nanos);
    LOG.log(Level.INFO, line.toString());
  }

  /** Milliseconds with three decimals, without String.format. */
  static void appendMillis(StringBuilder line, long nanos) {
    long micros = Math.max(0, nanos) / 1_000;
    long fraction = micros % 1_000;
    line.append(micros / 1_000).append('.');
    if (fraction < 100) {
      line.append('0');
    }
    if (fraction < 10) {
      line.append('0');
    }
    line.append(fraction);
  }
}
