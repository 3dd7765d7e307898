package dev.atpkeyserver.server.http;

import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * Every answer under {@code /xrpc}, success or error, carries {@code Cache-Control: no-store}: the
 * keys it carries are per caller (a private seed, a group key), and every key read is written to
 * its owner's access log, so an answer a cache kept and served again would be a read the owner
 * never sees. {@code /} and {@code /.well-known/did.json} are the same for everyone and stay
 * cacheable. docs/api.md, "Caching", gives the rule to clients.
 */
public final class CacheControl {

  /** {@code Cache-Control: no-store}. */
  static final Header NO_STORE = HeaderValues.createCached(HeaderNames.CACHE_CONTROL, "no-store");

  private static final String XRPC = "/xrpc";

  private CacheControl() {}

  /**
   * The routing filter: marks an XRPC answer before anything can answer it. Register it with the
   * error handlers of {@link ErrorHandling}, which write it again after Helidon resets the headers.
   */
  public static void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
    if (isXrpc(req.path().absolute().path())) {
      res.header(NO_STORE);
    }
    chain.proceed();
  }

  /** Writes the header again on an error answer, if the request's path needs it. */
  static void restore(ServerRequest req, ServerResponse res) {
    if (isXrpc(req.path().absolute().path())) {
      res.header(NO_STORE);
    }
  }

  private static boolean isXrpc(String path) {
    return path.startsWith(XRPC)
        && (path.length() == XRPC.length() || path.charAt(XRPC.length()) == '/');
  }
}
