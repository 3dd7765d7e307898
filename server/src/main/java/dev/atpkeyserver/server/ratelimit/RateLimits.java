package dev.atpkeyserver.server.ratelimit;

import dev.atpkeyserver.server.net.ClientAddresses;
import dev.atpkeyserver.xrpc.XrpcAuthenticator;
import io.helidon.webserver.http.HttpRouting;
import java.time.Clock;

/**
 * The rate limits of the contract, per server instance: a filter for public requests and a wrapper
 * around the XRPC authenticator for authenticated ones, sharing one set of counters. When disabled,
 * neither is installed, so limits then cost nothing.
 */
public final class RateLimits {

  /**
   * Counters one class keeps per window before unseen keys share an overflow counter: about 120
   * bytes each, so at most a few tens of MB for all classes together.
   */
  public static final int MAX_KEYS_PER_CLASS = 100_000;

  private final boolean enabled;
  private final RateLimiter limiter;
  private final ClientAddresses clientAddresses;

  /**
   * @param settings whether limits apply, and each class's budget
   * @param clientAddresses works out the client address public requests are charged to
   * @param clock the time windows are counted in
   */
  public RateLimits(RateLimitSettings settings, ClientAddresses clientAddresses, Clock clock) {
    this(settings, clientAddresses, clock, MAX_KEYS_PER_CLASS);
  }

  RateLimits(
      RateLimitSettings settings, ClientAddresses clientAddresses, Clock clock, int maxKeys) {
    this.enabled = settings.enabled();
    this.limiter = new RateLimiter(settings, maxKeys, clock);
    this.clientAddresses = clientAddresses;
  }

  /** The XRPC authenticator, charging authenticated calls when limits are enabled. */
  public XrpcAuthenticator guard(XrpcAuthenticator authenticator) {
    return enabled ? new RateLimitingAuthenticator(authenticator, limiter) : authenticator;
  }

  /** Installs the filter that charges public requests, when limits are enabled. */
  public void register(HttpRouting.Builder routing) {
    if (enabled) {
      routing.addFilter(new RateLimitFilter(limiter, clientAddresses));
    }
  }

  /** Counters held in the current window of a class (tests of the memory bound). */
  int keysInWindow(RateLimitClass rateClass) {
    return limiter.keysInWindow(rateClass);
  }
}
