package dev.atpkeyserver.server.accesslog;

import dev.atpkeyserver.did.Did;
import dev.atpkeyserver.xrpc.XrpcCall;
import java.util.Optional;

/**
 * Who read a key, as the access log records it.
 *
 * @param did the authenticated caller, empty for anonymous public-key reads
 * @param ip the client's address (see {@code ClientAddresses})
 * @param userAgent the client's User-Agent header
 */
public record Accessor(Optional<Did> did, Optional<String> ip, Optional<String> userAgent) {

  /** Longer User-Agent strings are cut; the column holds 512 characters. */
  static final int MAX_USER_AGENT = 512;

  public Accessor {
    userAgent =
        userAgent.map(ua -> ua.length() > MAX_USER_AGENT ? ua.substring(0, MAX_USER_AGENT) : ua);
  }

  /** The accessor of an XRPC call. */
  public static Accessor of(XrpcCall call) {
    return new Accessor(call.callerDid(), call.clientIp(), call.userAgent());
  }
}
