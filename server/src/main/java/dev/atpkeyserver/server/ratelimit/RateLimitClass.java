package dev.atpkeyserver.server.ratelimit;

import java.time.Duration;

/**
 * The contract's rate-limit classes, each with its configuration name ({@code
 * keyserver.rate-limit.<name>.requests} and {@code .window}) and default budget.
 */
public enum RateLimitClass {
  /** Unauthenticated requests and failed authentications, per client IP (IPv6 per /64). */
  PUBLIC("public", 100, Duration.ofMinutes(1)),
  /** Authenticated XRPC calls, per caller DID. */
  AUTHENTICATED("authenticated", 1000, Duration.ofMinutes(1)),
  /** Key rotations ({@code keypair.rotate}, {@code group.rotateKey}), per caller DID. */
  ROTATION("rotation", 10, Duration.ofHours(1)),
  /** Member management ({@code group.addMember}, {@code group.removeMember}), per caller DID. */
  MEMBERSHIP("membership", 100, Duration.ofHours(1)),
  /**
   * Prekey claims ({@code device.claimBundles}), per caller DID: each claim consumes one of another
   * user's one-time prekeys per device, so a caller draining them is held to the seed's 100 a
   * minute, a tenth of the general budget.
   */
  CLAIM("claim", 100, Duration.ofMinutes(1));

  private final String configName;
  private final int defaultRequests;
  private final Duration defaultWindow;

  RateLimitClass(String configName, int defaultRequests, Duration defaultWindow) {
    this.configName = configName;
    this.defaultRequests = defaultRequests;
    this.defaultWindow = defaultWindow;
  }

  /** The name in configuration keys, e.g. {@code public}. */
  public String configName() {
    return configName;
  }

  /** The contract's budget for this class. */
  public RateLimit defaultLimit() {
    return new RateLimit(defaultRequests, defaultWindow);
  }
}
