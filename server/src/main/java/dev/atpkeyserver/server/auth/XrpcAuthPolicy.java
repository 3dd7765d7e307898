package dev.atpkeyserver.server.auth;

import dev.atpkeyserver.lexicon.alpha.keypair.GetPublicKey;
import java.util.Set;

/**
 * Which XRPC methods may be called without a service auth token. This is the only place that says
 * so, and it fails closed: a method not listed here, including one added to the lexicons later,
 * requires authentication.
 */
public final class XrpcAuthPolicy {

  private static final Set<String> PUBLIC_METHODS = Set.of(GetPublicKey.NSID);

  private XrpcAuthPolicy() {}

  /** Whether {@code nsid} may be called anonymously. */
  public static boolean isPublic(String nsid) {
    return PUBLIC_METHODS.contains(nsid);
  }
}
