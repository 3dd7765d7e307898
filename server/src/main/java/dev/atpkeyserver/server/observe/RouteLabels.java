package dev.atpkeyserver.server.observe;

import dev.atpkeyserver.xrpc.XrpcMethod;
import java.util.List;

/**
 * Names the route of a request path for metrics and the request log. The set of names is fixed: the
 * NSIDs of the lexicon methods and a few constants, so a client cannot grow the metric series by
 * inventing paths, and no path segment a client chose (a DID, say) ever becomes a label.
 */
final class RouteLabels {

  static final String ROOT = "root";
  static final String WELL_KNOWN = "well_known";
  static final String OBSERVE = "observe";
  static final String UNKNOWN_XRPC = "xrpc_unknown";
  static final String OTHER = "other";

  private static final String XRPC = "/xrpc/";

  private final String[] nsids;

  RouteLabels(List<XrpcMethod> methods) {
    this.nsids = methods.stream().map(XrpcMethod::nsid).toArray(String[]::new);
  }

  /** The label of {@code path} (no query string); never allocates. */
  String of(String path) {
    if (path.startsWith(XRPC)) {
      return nsidOf(path);
    }
    if (path.equals("/")) {
      return ROOT;
    }
    if (path.startsWith("/.well-known/")) {
      return WELL_KNOWN;
    }
    if (path.startsWith("/observe/") || path.equals("/observe")) {
      return OBSERVE;
    }
    return OTHER;
  }

  private String nsidOf(String path) {
    int start = XRPC.length();
    // The generated routes also accept one trailing slash.
    int end = path.endsWith("/") ? path.length() - 1 : path.length();
    int length = end - start;
    for (String nsid : nsids) {
      if (nsid.length() == length && path.regionMatches(start, nsid, 0, length)) {
        return nsid;
      }
    }
    return UNKNOWN_XRPC;
  }
}
