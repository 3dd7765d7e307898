package dev.atpkeyserver.server.auth;

import dev.atpkeyserver.did.AtprotoSigningKey;
import dev.atpkeyserver.did.Did;
import dev.atpkeyserver.did.DidDocument;
import dev.atpkeyserver.did.DidResolutionException;
import dev.atpkeyserver.did.DidResolver;
import dev.atpkeyserver.did.KeyCurve;
import dev.atpkeyserver.did.MalformedDidException;
import dev.atpkeyserver.server.auth.AuthenticationException.Reason;
import dev.atpkeyserver.server.auth.signature.SignatureBackends;
import dev.atpkeyserver.server.auth.signature.SignatureVerifier;
import java.time.Clock;
import java.util.Optional;

/**
 * Verifies ATProto service auth JWTs the way the official {@code @atproto/xrpc-server} {@code
 * verifyJwt} does, in its order, with three deliberate differences: only {@code ES256K} and {@code
 * ES256} are accepted (checked before any DID lookup), the issuer must be a did:plc or did:web user
 * without a service fragment, and a key whose curve no longer matches the token also triggers the
 * forced refresh (the official verifier throws before refreshing in that case).
 */
public final class ServiceAuthVerifier {

  /**
   * Verified tokens remembered at most: about 250 bytes each, so the cache stays under ≈ 5 MiB, a
   * small share of the 96–128 MiB heap the server runs in, however many fresh tokens arrive. Tokens
   * live a minute, so this is the number of distinct tokens per minute per instance that are all
   * verified only once; past it, the tokens evicted to make room cost one more verification each.
   */
  private static final int MAX_REMEMBERED_TOKENS = 20_000;

  private static final System.Logger LOG = System.getLogger(ServiceAuthVerifier.class.getName());

  private final DidResolver resolver;
  private final String serviceDid;
  private final String serviceDidWithFragment;
  private final Clock clock;
  private final VerifiedTokenCache verifiedTokens;
  private final SignatureVerifier signatures;

  /**
   * A verifier checking signatures with the process's {@link SignatureBackends#shared()}.
   *
   * @param resolver resolves issuers to their atproto signing keys (cached)
   * @param serviceDid this service's DID, the only accepted audience with {@code #atp_keyserver}
   * @param clock the clock {@code exp} is compared with
   */
  public ServiceAuthVerifier(DidResolver resolver, String serviceDid, Clock clock) {
    this(resolver, serviceDid, clock, SignatureBackends.shared());
  }

  /**
   * @param resolver resolves issuers to their atproto signing keys (cached)
   * @param serviceDid this service's DID, the only accepted audience with {@code #atp_keyserver}
   * @param clock the clock {@code exp} is compared with
   * @param signatures checks the ECDSA signatures
   */
  public ServiceAuthVerifier(
      DidResolver resolver, String serviceDid, Clock clock, SignatureVerifier signatures) {
    this.resolver = resolver;
    this.signatures = signatures;
    this.serviceDid = serviceDid;
    this.serviceDidWithFragment = serviceDid + "#atp_keyserver";
    this.clock = clock;
    this.verifiedTokens = new VerifiedTokenCache(clock, MAX_REMEMBERED_TOKENS);
  }

  /**
   * Verifies {@code token} for a call of the method {@code nsid}.
   *
   * @return the authenticated user's DID
   * @throws AuthenticationException naming the first check that failed
   */
  public Did verify(String token, String nsid) throws AuthenticationException {
    Optional<Did> remembered = verifiedTokens.lookup(token, nsid);
    if (remembered.isPresent()) {
      return remembered.get();
    }
    ServiceToken jwt = ServiceToken.parse(token);
    Did issuer = verifyUncached(jwt, nsid);
    verifiedTokens.remember(token, nsid, issuer, jwt.exp());
    return issuer;
  }

  private Did verifyUncached(ServiceToken jwt, String nsid) throws AuthenticationException {

    // Comparing in seconds with a fraction, as the official verifier does: no leeway.
    if (clock.millis() / 1000.0 > jwt.exp()) {
      throw new AuthenticationException(Reason.EXPIRED);
    }
    // A PDS proxying with "atproto-proxy: <did>#atp_keyserver" may put either form in aud.
    if (!jwt.aud().equals(serviceDid) && !jwt.aud().equals(serviceDidWithFragment)) {
      throw new AuthenticationException(Reason.WRONG_AUDIENCE);
    }
    if (jwt.lxm().isEmpty()) {
      throw new AuthenticationException(Reason.MISSING_METHOD);
    }
    if (!jwt.lxm().get().equals(nsid)) {
      throw new AuthenticationException(Reason.WRONG_METHOD);
    }
    Did issuer = userIssuer(jwt.iss());
    KeyCurve algorithm = supportedAlgorithm(jwt.alg());

    DidDocument document = resolve(issuer, false);
    if (signatureMatches(jwt, algorithm, document)) {
      return issuer;
    }
    // @NOTE the user may have rotated their signing key since we cached their document: look once
    // more, bypassing the cache (the resolver bounds how often one DID can force this).
    DidDocument refreshed = resolve(issuer, true);
    if (!refreshed.atprotoSigningKey().equals(document.atprotoSigningKey())
        && signatureMatches(jwt, algorithm, refreshed)) {
      return issuer;
    }
    throw new AuthenticationException(failureReason(algorithm, refreshed));
  }

  private static Did userIssuer(String iss) throws AuthenticationException {
    try {
      Did did = Did.parse(iss);
      if (did.isPlc() || did.isWeb()) {
        return did;
      }
    } catch (MalformedDidException e) {
      // refused below; a "did#service" issuer is a service acting, not a user, and lands here too
    }
    throw new AuthenticationException(Reason.BAD_ISSUER);
  }

  /** The curve whose keys sign with {@code alg}: ES256K or ES256. */
  private static KeyCurve supportedAlgorithm(String alg) throws AuthenticationException {
    return KeyCurve.fromJwsAlgorithm(alg)
        .orElseThrow(() -> new AuthenticationException(Reason.UNSUPPORTED_ALGORITHM));
  }

  private DidDocument resolve(Did issuer, boolean forceRefresh) throws AuthenticationException {
    try {
      return resolver.resolve(issuer, forceRefresh);
    } catch (DidResolutionException e) {
      // @NOTE the details (host unreachable, private address, HTTP status) stay in our log: in
      // the 401 they would let anyone probe hosts and ports through us with made-up issuers.
      LOG.log(System.Logger.Level.DEBUG, "Could not resolve {0}: {1}", issuer, e.getMessage());
      throw new AuthenticationException(Reason.UNRESOLVABLE_ISSUER);
    }
  }

  /** False when the key is missing, on another curve, or the signature does not verify. */
  private boolean signatureMatches(ServiceToken jwt, KeyCurve algorithm, DidDocument document) {
    Optional<AtprotoSigningKey> key = document.atprotoSigningKey();
    if (key.isEmpty() || key.get().curve() != algorithm) {
      return false;
    }
    return signatures.verify(key.get(), jwt.signingInput(), jwt.signature());
  }

  private static Reason failureReason(KeyCurve algorithm, DidDocument document) {
    Optional<AtprotoSigningKey> key = document.atprotoSigningKey();
    if (key.isEmpty()) {
      return Reason.ISSUER_WITHOUT_KEY;
    }
    if (key.get().curve() != algorithm) {
      return Reason.ALGORITHM_MISMATCH;
    }
    return Reason.BAD_SIGNATURE;
  }
}
