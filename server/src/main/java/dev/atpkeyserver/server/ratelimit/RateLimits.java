package dev.atpkeyserver.server.ratelimit;

import dev.atpkeyserver.server.auth.XrpcAuthPolicy;
import dev.atpkeyserver.server.net.ClientAddresses;
import dev.atpkeyserver.xrpc.ErrorKind;
import dev.atpkeyserver.xrpc.KeyserverException;
import dev.atpkeyserver.xrpc.XrpcAuthenticator;
import dev.atpkeyserver.xrpc.XrpcCall;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The contract's rate limits, per server instance, and the one way into them. {@link #install} puts
 * them on a routing; a limited request then takes one path through this class, in up to three steps
 * that share the request's {@code Admission}:
 *
 * <ol>
 *   <li>{@code admit}, a filter before any route. A path under {@code /observe} passes untouched.
 *       Any other request gets its admission, and a public one (everything but a call to an
 *       authenticated XRPC method with its HTTP method, see {@link RateLimitPolicy}) is charged to
 *       its client address at once, so a refused one is a 429 before any route runs.
 *   <li>{@code authenticate}, when the XRPC route asks who calls an authenticated method (the
 *       generated routes ask before they read anything else). A caller whose token verifies is
 *       charged to their DID, plus the method's own class if it has one; a refused token is charged
 *       to the client address.
 *   <li>{@link #restoreHeaders}, from the error handlers: Helidon 4.1.7 resets a response's headers
 *       before an error handler runs, so the budget reported so far is written again.
 * </ol>
 *
 * <p>Each charge writes the {@code X-RateLimit-*} headers of the tightest budget charged so far; a
 * refusing one throws the contract's 429 with {@code Retry-After}. When limits are disabled nothing
 * is installed, so they cost nothing.
 */
public final class RateLimits {

  /**
   * Counters one class keeps per window before unseen keys share an overflow counter: about 120
   * bytes each, so at most a few tens of MB for all classes together.
   */
  public static final int MAX_KEYS_PER_CLASS = 100_000;

  private static final HeaderName LIMIT = HeaderNames.create("X-RateLimit-Limit");
  private static final HeaderName REMAINING = HeaderNames.create("X-RateLimit-Remaining");
  private static final HeaderName RESET = HeaderNames.create("X-RateLimit-Reset");

  private final boolean enabled;
  private final RateLimiter limiter;
  private final ClientAddresses clientAddresses;

  /**
   * @param settings whether limits apply, and each class's budget
   * @param clientAddresses works out the client address public requests are charged to
   * @param clock the time windows are counted in
   */
  public RateLimits(RateLimitSettings settings, ClientAddresses clientAddresses, Clock clock) {
    this.enabled = settings.enabled();
    this.limiter = new RateLimiter(settings, MAX_KEYS_PER_CLASS, clock);
    this.clientAddresses = clientAddresses;
  }

  /**
   * Installs the limits: a filter on {@code routing}, and the returned authenticator, which the
   * XRPC routes must use in place of {@code authenticator}. Register the error handlers and the
   * filters that must see every answer (a 429 too) before calling it. When limits are disabled it
   * installs nothing and returns {@code authenticator} itself.
   *
   * @param routing the routing the XRPC routes will be registered on
   * @param authenticator decides who calls each XRPC method
   * @return the authenticator for the XRPC routes
   */
  public XrpcAuthenticator install(HttpRouting.Builder routing, XrpcAuthenticator authenticator) {
    if (!enabled) {
      return authenticator;
    }
    routing.addFilter(this::admit);
    return (nsid, request) -> authenticate(nsid, request, authenticator);
  }

  /**
   * Writes the rate-limit headers charged to {@code request} on {@code response} again. Error
   * handlers call it, since Helidon resets a response's headers before it hands it to one; it does
   * nothing for a request that was not limited.
   *
   * @param request the request being answered
   * @param response its response, after the reset
   */
  public static void restoreHeaders(ServerRequest request, ServerResponse response) {
    request.context().get(Admission.class).ifPresent(admission -> admission.writeHeaders(response));
  }

  /** Step 1, before any route: charges public requests to their client address. */
  private void admit(FilterChain chain, RoutingRequest req, RoutingResponse res) {
    String path = req.path().path();
    if (RateLimitPolicy.isExempt(path)) {
      chain.proceed();
      return;
    }
    Admission admission = new Admission(res, ClientKeys.of(clientAddresses.clientAddress(req)));
    req.context().register(admission);
    if (RateLimitPolicy.authenticatedNsid(req.prologue().method(), path).isEmpty()) {
      admission.chargeClient(limiter.acquireForClient(admission.clientKey));
    }
    chain.proceed();
  }

  /** Step 2, as the XRPC route authenticates: charges the caller, or the address of a refusal. */
  private XrpcCall authenticate(
      String nsid, ServerRequest request, XrpcAuthenticator authenticator) {
    Optional<Admission> found = request.context().get(Admission.class);
    if (found.isEmpty() || XrpcAuthPolicy.isPublic(nsid)) {
      // Public methods were charged in step 1.
      return authenticator.authenticate(nsid, request);
    }
    Admission admission = found.get();
    if (!admission.clientCharged) {
      // @NOTE An address that sent a public budget's worth of bad tokens is refused before its
      // next token is checked: checking one can cost a DID document fetch. Public reads from the
      // same address (many users behind one NAT) do not count here.
      Quota failures = limiter.peekFailedAuthentications(admission.clientKey);
      if (!failures.allowed()) {
        admission.charge(failures);
      }
    }
    XrpcCall call;
    try {
      call = authenticator.authenticate(nsid, request);
    } catch (KeyserverException e) {
      if (e.kind() == ErrorKind.UNAUTHORIZED && !admission.clientCharged) {
        admission.chargeClient(limiter.acquireForFailedAuthentication(admission.clientKey));
      }
      throw e;
    }
    admission.charge(limiter.acquireForCaller(call.caller().toString(), nsid));
    return call;
  }

  /**
   * What the limits charged one request so far, kept in its context from step 1 on. One thread
   * handles a request, so it needs no synchronisation.
   */
  private static final class Admission {

    private final ServerResponse response;
    private final String clientKey;

    /** Whether the client's address has been charged for this request already. */
    private boolean clientCharged;

    /** The tightest budget charged so far: the one the headers report. */
    private Quota reported;

    Admission(ServerResponse response, String clientKey) {
      this.response = response;
      this.clientKey = clientKey;
    }

    /** Charges a quota of the client's address, which then counts as charged for this request. */
    void chargeClient(Quota quota) {
      clientCharged = true;
      charge(quota);
    }

    /**
     * Reports a quota that applies to this request in the response's headers.
     *
     * @throws KeyserverException 429 if the quota refuses the request
     */
    void charge(Quota quota) {
      reported = reported == null ? quota : Quota.tighter(reported, quota);
      writeHeaders(response);
      if (!quota.allowed()) {
        throw tooManyRequests(quota);
      }
    }

    void writeHeaders(ServerResponse res) {
      if (reported != null) {
        res.header(LIMIT, Integer.toString(reported.limit()));
        res.header(REMAINING, Integer.toString(reported.remaining()));
        res.header(RESET, Long.toString(reported.resetEpochSecond()));
      }
    }
  }

  /** The contract's 429: the error body, {@code Retry-After} and the refusing budget's headers. */
  private static KeyserverException tooManyRequests(Quota quota) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Retry-After", Long.toString(quota.retryAfterSeconds()));
    headers.put(LIMIT.defaultCase(), Integer.toString(quota.limit()));
    headers.put(REMAINING.defaultCase(), "0");
    headers.put(RESET.defaultCase(), Long.toString(quota.resetEpochSecond()));
    return new KeyserverException(
        ErrorKind.TOO_MANY_REQUESTS,
        "Rate limit exceeded, retry in " + quota.retryAfterSeconds() + " s",
        headers);
  }
}
