package dev.atpkeyserver.did;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * SSRF guard for did:web: a did:web is chosen by whoever sends us a token, so its host must not let
 * them make this server reach internal services.
 *
 * <p>{@link #check} resolves the host (or parses it, for an IP literal) and refuses it when any of
 * its addresses is loopback, unspecified, private (10/8, 172.16/12, 192.168/16), link-local
 * (including 169.254.169.254 cloud metadata), multicast, carrier-grade NAT (100.64/10), another
 * special-purpose IPv4 block (0/8, 192.0.0/24, 198.18/15, 240/4), IPv6 unique-local (fc00::/7) or
 * site-local (fec0::/10), or an IPv6 address that embeds such an IPv4 address (IPv4-mapped,
 * IPv4-compatible, NAT64 {@code 64:ff9b::/96}, 6to4 {@code 2002::/16}). Names {@code localhost} and
 * {@code *.localhost} are refused without a lookup.
 *
 * <p><b>Residual risk (DNS rebinding):</b> the JDK {@code HttpClient} cannot be handed the checked
 * address, so it resolves the name again when it connects. A hostile DNS server with a zero TTL can
 * answer a public address to this check and a private one to the connection. Closing that gap needs
 * a network-level control: an egress proxy or firewall that blocks private ranges for this process.
 * The check still stops every static configuration (IP literals, names that point inside).
 */
public final class HostPolicy {

  /** Resolves a host name to its addresses; the JDK resolver by default, a stub in tests. */
  @FunctionalInterface
  public interface AddressLookup {
    /**
     * Resolves a host name.
     *
     * @param host a host name
     * @return its addresses
     * @throws UnknownHostException if it has none
     */
    InetAddress[] lookup(String host) throws UnknownHostException;
  }

  private final boolean allowLocalHosts;
  private final AddressLookup lookup;

  /**
   * Creates a policy.
   *
   * @param allowLocalHosts if true, every host is allowed and nothing is looked up
   * @param lookup how host names are resolved
   */
  public HostPolicy(boolean allowLocalHosts, AddressLookup lookup) {
    this.allowLocalHosts = allowLocalHosts;
    this.lookup = Objects.requireNonNull(lookup, "lookup");
  }

  /**
   * Creates a policy that resolves names with the JDK resolver.
   *
   * @param allowLocalHosts if true, every host is allowed
   * @return the policy
   */
  public static HostPolicy create(boolean allowLocalHosts) {
    return new HostPolicy(allowLocalHosts, InetAddress::getAllByName);
  }

  /**
   * Checks that a host only has public addresses.
   *
   * @param host a host name, IPv4 literal or bracketed IPv6 literal ({@code [2001:db8::1]})
   * @param timeout how long the name lookup may take
   * @throws ForbiddenDidHostException if the host is, or resolves to, a non-public address
   * @throws DidHostUnavailableException if the name does not resolve in time
   */
  public void check(String host, Duration timeout)
      throws ForbiddenDidHostException, DidHostUnavailableException {
    if (allowLocalHosts) {
      return;
    }
    String name = host.toLowerCase(Locale.ROOT);
    if (name.equals("localhost") || name.endsWith(".localhost")) {
      throw new ForbiddenDidHostException("did:web host " + host + " is a local host");
    }
    for (InetAddress address : addresses(name, timeout)) {
      if (!isPublic(address)) {
        throw new ForbiddenDidHostException(
            "did:web host " + host + " resolves to a non-public address");
      }
    }
  }

  /**
   * Whether an address may be contacted for did:web.
   *
   * @param address any address
   * @return false for loopback, private, link-local and the other refused ranges
   */
  public static boolean isPublic(InetAddress address) {
    if (address.isAnyLocalAddress()
        || address.isLoopbackAddress()
        || address.isLinkLocalAddress()
        || address.isSiteLocalAddress()
        || address.isMulticastAddress()) {
      return false;
    }
    byte[] bytes = address.getAddress();
    if (address instanceof Inet4Address) {
      return isPublicIpv4(bytes);
    }
    if ((bytes[0] & 0xfe) == 0xfc) {
      return false; // fc00::/7 unique-local
    }
    byte[] embedded = embeddedIpv4(bytes);
    return embedded == null || isPublicIpv4(embedded);
  }

  private static boolean isPublicIpv4(byte[] b) {
    int first = b[0] & 0xff;
    int second = b[1] & 0xff;
    return !(first == 0 // "this network"
        || first == 10
        || first == 127
        || (first == 100 && (second & 0xc0) == 64) // carrier-grade NAT 100.64/10
        || (first == 169 && second == 254)
        || (first == 172 && (second & 0xf0) == 16)
        || (first == 192 && second == 168)
        || (first == 192 && second == 0 && (b[2] & 0xff) == 0) // IETF protocol assignments
        || (first == 198 && (second & 0xfe) == 18) // benchmarking 198.18/15
        || first >= 224); // multicast, reserved, broadcast
  }

  /** The IPv4 address an IPv6 address carries by a standard embedding, or null. */
  private static byte[] embeddedIpv4(byte[] v6) {
    boolean firstTenZero = Arrays.equals(v6, 0, 10, new byte[10], 0, 10);
    boolean mapped = firstTenZero && v6[10] == (byte) 0xff && v6[11] == (byte) 0xff;
    boolean compatible = firstTenZero && v6[10] == 0 && v6[11] == 0;
    boolean nat64 =
        v6[0] == 0x00
            && v6[1] == 0x64
            && v6[2] == (byte) 0xff
            && v6[3] == (byte) 0x9b
            && Arrays.equals(v6, 4, 12, new byte[8], 0, 8);
    if (mapped || compatible || nat64) {
      return Arrays.copyOfRange(v6, 12, 16);
    }
    if (v6[0] == 0x20 && v6[1] == 0x02) { // 6to4 2002:AABB:CCDD::/48
      return Arrays.copyOfRange(v6, 2, 6);
    }
    return null;
  }

  private InetAddress[] addresses(String host, Duration timeout)
      throws DidHostUnavailableException, ForbiddenDidHostException {
    byte[] ipv4 = dottedQuad(host);
    try {
      if (ipv4 != null) {
        return new InetAddress[] {InetAddress.getByAddress(ipv4)};
      }
      if (host.startsWith("[")) {
        // The JDK parses a bracketed literal and never looks it up.
        return new InetAddress[] {InetAddress.getByName(host)};
      }
    } catch (UnknownHostException e) {
      throw new ForbiddenDidHostException("did:web host " + host + " is not a valid address");
    }
    // The JDK resolver has no timeout of its own: run it on a virtual thread and stop waiting.
    FutureTask<InetAddress[]> task = new FutureTask<>(() -> lookup.lookup(host));
    Thread.ofVirtual().name("did-web-lookup").start(task);
    try {
      InetAddress[] found = task.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      if (found == null || found.length == 0) {
        throw new DidHostUnavailableException("did:web host " + host + " has no address", true);
      }
      return found;
    } catch (TimeoutException e) {
      task.cancel(true);
      throw new DidHostUnavailableException(
          "did:web host " + host + " did not resolve within " + timeout.toMillis() + " ms", true);
    } catch (InterruptedException e) {
      task.cancel(true);
      Thread.currentThread().interrupt();
      throw new DidHostUnavailableException("Interrupted while resolving " + host, false, e);
    } catch (ExecutionException e) {
      throw new DidHostUnavailableException(
          "did:web host " + host + " could not be resolved", true, e.getCause());
    }
  }

  /** The four bytes of a plain dotted-quad IPv4 literal ({@code 10.0.0.1}), or null. */
  private static byte[] dottedQuad(String host) {
    String[] parts = host.split("\\.", -1);
    if (parts.length != 4) {
      return null;
    }
    byte[] bytes = new byte[4];
    for (int i = 0; i < 4; i++) {
      String part = parts[i];
      if (part.isEmpty()
          || part.length() > 3
          || !part.chars().allMatch(c -> c >= '0' && c <= '9')) {
        return null;
      }
      int value = Integer.parseInt(part);
      if (value > 255) {
        return null;
      }
      bytes[i] = (byte) value;
    }
    return bytes;
  }
}
