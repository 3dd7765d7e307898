package dev.atpkeyserver.server.auth;

import dev.atpkeyserver.did.Did;
import dev.atpkeyserver.server.net.ClientAddresses;
import dev.atpkeyserver.xrpc.ErrorKind;
import dev.atpkeyserver.xrpc.KeyserverException;
import dev.atpkeyserver.xrpc.XrpcAuthenticator;
import dev.atpkeyserver.xrpc.XrpcCall;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Decides who is calling an XRPC method: nobody, for the methods {@link XrpcAuthPolicy} declares
 * public; otherwise the user whose service auth token verifies. Every failure is a 401 naming the
 * reason; the token itself is never echoed or logged.
 */
public final class RequestAuthenticator implements XrpcAuthenticator {

  private static final System.Logger LOG = System.getLogger(RequestAuthenticator.class.getName());
  private static final String BEARER = "bearer ";

  private final ServiceAuthVerifier verifier;
  private final ClientAddresses clientAddresses;
  private final Consumer<AuthenticationException.Reason> refusals;

  /**
   * Creates the authenticator.
   *
   * @param verifier checks tokens
   * @param clientAddresses finds the client address for the access log
   * @param refusals told the reason of every refused token, for metrics
   */
  public RequestAuthenticator(
      ServiceAuthVerifier verifier,
      ClientAddresses clientAddresses,
      Consumer<AuthenticationException.Reason> refusals) {
    this.verifier = verifier;
    this.clientAddresses = clientAddresses;
    this.refusals = refusals;
  }

  @Override
  public XrpcCall authenticate(String nsid, ServerRequest request) {
    Optional<String> clientIp = clientAddresses.clientIp(request);
    Optional<String> userAgent = request.headers().first(HeaderNames.USER_AGENT);
    if (XrpcAuthPolicy.isPublic(nsid)) {
      return new XrpcCall(nsid, Optional.empty(), clientIp, userAgent);
    }
    try {
      Did caller = verifier.verify(bearerToken(request), nsid);
      return new XrpcCall(nsid, Optional.of(caller), clientIp, userAgent);
    } catch (AuthenticationException e) {
      refusals.accept(e.reason());
      LOG.log(System.Logger.Level.DEBUG, "Refused service auth for {0}: {1}", nsid, e.reason());
      throw new KeyserverException(
          ErrorKind.UNAUTHORIZED,
          e.getMessage(),
          Map.of("WWW-Authenticate", "Bearer error=\"invalid_token\""));
    }
  }

  private static String bearerToken(ServerRequest request) throws AuthenticationException {
    Optional<String> header = request.headers().first(HeaderNames.AUTHORIZATION);
    if (header.isEmpty()) {
      throw new AuthenticationException(AuthenticationException.Reason.MISSING_TOKEN);
    }
    String value = header.get().strip();
    if (value.length() <= BEARER.length()
        || !value.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      throw new AuthenticationException(
          AuthenticationException.Reason.MISSING_TOKEN,
          "Authorization header must be 'Bearer <service auth token>'");
    }
    return value.substring(BEARER.length()).strip();
  }
}
