package dev.atpkeyserver.server.ratelimit;

import dev.atpkeyserver.lexicon.XrpcRoutes;
import dev.atpkeyserver.lexicon.alpha.device.ClaimBundles;
import dev.atpkeyserver.lexicon.alpha.group.AddMember;
import dev.atpkeyserver.lexicon.alpha.group.RemoveMember;
import dev.atpkeyserver.lexicon.alpha.group.RotateKey;
import dev.atpkeyserver.lexicon.alpha.keypair.Rotate;
import dev.atpkeyserver.server.auth.XrpcAuthPolicy;
import dev.atpkeyserver.xrpc.XrpcMethod;
import io.helidon.http.Method;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Which limits apply to which request: the one table of it. Every request is {@link
 * RateLimitClass#PUBLIC} (per client IP) except a call to an authenticated XRPC method with its
 * right HTTP method, which is charged to the caller's DID once its token verifies (and to the IP
 * when it does not); some of those methods also have a class of their own.
 */
final class RateLimitPolicy {

  private static final String XRPC_PREFIX = "/xrpc/";
  private static final String EXEMPT_PREFIX = "/observe";

  /** Authenticated methods by NSID, from the generated route table so none is forgotten. */
  private static final Map<String, Method> AUTHENTICATED_METHODS =
      XrpcRoutes.METHODS.stream()
          .filter(method -> !XrpcAuthPolicy.isPublic(method.nsid()))
          .collect(Collectors.toUnmodifiableMap(XrpcMethod::nsid, XrpcMethod::httpMethod));

  /** Methods that spend a budget of their own besides {@link RateLimitClass#AUTHENTICATED}. */
  private static final Map<String, RateLimitClass> EXTRA_CLASS =
      Map.of(
          Rotate.NSID, RateLimitClass.ROTATION,
          RotateKey.NSID, RateLimitClass.ROTATION,
          AddMember.NSID, RateLimitClass.MEMBERSHIP,
          RemoveMember.NSID, RateLimitClass.MEMBERSHIP,
          ClaimBundles.NSID, RateLimitClass.CLAIM);

  private RateLimitPolicy() {}

  /**
   * The exemption rule: health and metrics under {@code /observe} are never limited nor counted, so
   * monitoring keeps working while a client is throttled.
   */
  static boolean isExempt(String path) {
    return path.startsWith(EXEMPT_PREFIX)
        && (path.length() == EXEMPT_PREFIX.length() || path.charAt(EXEMPT_PREFIX.length()) == '/');
  }

  /**
   * The NSID of the authenticated XRPC method this request calls, with the HTTP method its route
   * answers (a trailing slash is accepted, as by the routes); empty for every public request.
   */
  static Optional<String> authenticatedNsid(Method httpMethod, String path) {
    if (!path.startsWith(XRPC_PREFIX)) {
      return Optional.empty();
    }
    // "/xrpc/" itself names no method: nothing may be cut from before the prefix's end.
    String nsid = path.substring(XRPC_PREFIX.length());
    if (nsid.endsWith("/")) {
      nsid = nsid.substring(0, nsid.length() - 1);
    }
    Method expected = AUTHENTICATED_METHODS.get(nsid);
    return expected != null && expected.equals(httpMethod) ? Optional.of(nsid) : Optional.empty();
  }

  /** The class an authenticated method spends besides the general one, if any. */
  static Optional<RateLimitClass> extraClass(String nsid) {
    return Optional.ofNullable(EXTRA_CLASS.get(nsid));
  }
}
