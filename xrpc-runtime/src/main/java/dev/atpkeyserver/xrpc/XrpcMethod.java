package dev.atpkeyserver.xrpc;

import io.helidon.http.Method;
import java.util.Objects;

/**
 * An XRPC method: its NSID and whether it is a query (HTTP GET) or a procedure (HTTP POST).
 *
 * @param nsid the method's NSID
 * @param kind query or procedure
 */
public record XrpcMethod(String nsid, Kind kind) {

  /** The two kinds of XRPC method. */
  public enum Kind {
    /** Reads state; HTTP GET with query parameters. */
    QUERY,
    /** Changes state; HTTP POST with a JSON body. */
    PROCEDURE
  }

  /** Checks the components. */
  public XrpcMethod {
    Objects.requireNonNull(nsid, "nsid");
    Objects.requireNonNull(kind, "kind");
    if (!LexiconFormats.isValidNsid(nsid)) {
      throw new IllegalArgumentException("Not a valid NSID: " + nsid);
    }
  }

  /** The HTTP method the method is called with: GET for a query, POST for a procedure. */
  public Method httpMethod() {
    return kind == Kind.QUERY ? Method.GET : Method.POST;
  }

  /** The request path, {@code /xrpc/<nsid>}. */
  public String path() {
    return "/xrpc/" + nsid;
  }
}
