package dev.atpkeyserver.server.auth;

/**
 * A service auth token was refused. The message names the reason in words safe to show the client
 * (it never contains the token) and is sent in the 401 body.
 */
public final class AuthenticationException extends Exception {

  private final Reason reason;

  AuthenticationException(Reason reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  AuthenticationException(Reason reason) {
    this(reason, reason.message());
  }

  /** Why the token was refused, for metrics and tests. */
  public Reason reason() {
    return reason;
  }

  /**
   * The refusal reasons, in the order the checks run (see docs/auth.md): a token is refused for the
   * first one it fails. {@link #BAD_TOKEN} is also the reason of the claim checks that follow the
   * {@code typ} check; the last three are told apart once the signature has failed.
   */
  public enum Reason {
    MISSING_TOKEN("Missing service auth token"),
    BAD_TOKEN("Malformed service auth token"),
    BAD_TOKEN_TYPE("Service auth token has a forbidden typ"),
    EXPIRED("Service auth token expired"),
    WRONG_AUDIENCE("Service auth token audience is not this service"),
    MISSING_METHOD("Service auth token has no lxm (lexicon method)"),
    WRONG_METHOD("Service auth token lxm does not match the called method"),
    BAD_ISSUER("Service auth token issuer must be a did:plc or did:web user"),
    UNSUPPORTED_ALGORITHM("Service auth token must be signed with ES256K or ES256"),
    UNRESOLVABLE_ISSUER("Could not resolve the service auth token issuer"),
    ISSUER_WITHOUT_KEY("Token issuer's DID document has no usable atproto signing key"),
    ALGORITHM_MISMATCH("Service auth token algorithm does not match the issuer's key"),
    BAD_SIGNATURE("Service auth token signature does not match the issuer");

    private final String message;

    Reason(String message) {
      this.message = message;
    }

    /** The default client-facing message. */
    public String message() {
      return message;
    }
  }
}
