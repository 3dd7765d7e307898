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
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * SSRF guard for did:web: a did:web is chosen by whoever sends us a token, so its host must not let
 * them make this server reach internal services.
 *
 * <p>{@link #check} resolves the host (or parses it, for an IP literal) and refuses it when any of
 * its addresses is loopback, unspecified, private (10/8, 172.16/12, 192.168/16), link-local
 * (including 169.254.169.254 cloud metadata), multicast, carrier-grade NAT (100.64/10), another
 * special-purpose IPv4 block (0/8, 192.0.0/24, 192.0.2/24, 192.88.99/24, 198.18/15, 198.51.100/24,
 * 203.0.113/24, 240/4), or an IPv6 address outside global unicast {@code 2000::/3} (so unique-local
 * fc00::/7, link-local fe80::/10, site-local fec0::/10, multicast ff00::/8, discard 100::/64 and
 * the unassigned space), inside global unicast but special (IETF protocol assignments {@code
 * 2001::/23} with Teredo {@code 2001::/32}, documentation {@code 2001:db8::/32} and {@code
 * 3fff::/20}), or an IPv6 form that embeds a refused IPv4 address (IPv4-mapped, IPv4-compatible,
 * IPv4-translated {@code ::ffff:0:0:0/96}, NAT64 {@code 64:ff9b::/96}, 6to4 {@code 2002::/16});
 * local-use NAT64 {@code 64:ff9b:1::/48} is refused whatever it embeds. Names {@code localhost} and
 * {@code *.localhost} are refused without a lookup.
 *
 * <p>Ports: {@link #check(String, int, Duration)} allows only the https default, 443 (written or
 * not). The official resolver fetches any {@code %3A} port; real did:web hosts use none, and an
 * arbitrary port would let a token make us probe any service on a public host.
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

  /**
   * Name lookups that may be running at once, counting those we stopped waiting for: the JDK
   * resolver cannot be interrupted, so a lookup that outlives its timeout keeps its virtual thread
   * until the system resolver gives up (glibc: 5 s per attempt). Without a bound, a host name whose
   * DNS server never answers would pile up one such thread per token.
   */
  static final int MAX_PENDING_LOOKUPS = 64;

  private final boolean allowLocalHosts;
  private final AddressLookup lookup;
  private final Semaphore pendingLookups;

  /**
   * Creates a policy.
   *
   * @param allowLocalHosts if true, every host is allowed and nothing is looked up
   * @param lookup how host names are resolved
   */
  public HostPolicy(boolean allowLocalHosts, AddressLookup lookup) {
    this(allowLocalHosts, lookup, MAX_PENDING_LOOKUPS);
  }

  HostPolicy(boolean allowLocalHosts, AddressLookup lookup, int maxPendingLookups) {
    this.allowLocalHosts = allowLocalHosts;
    this.lookup = Objects.requireNonNull(lookup, "lookup");
    this.pendingLookups = new Semaphore(maxPendingLookups);
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

  /** The only port a did:web may name (unless local hosts are allowed): https's default. */
  public static final int ALLOWED_PORT = 443;

  /**
   * Checks that a did:web target may be contacted: its port is the https default and its host only
   * has public addresses. The port is checked first, without a lookup.
   *
   * @param host a host name, IPv4 literal or bracketed IPv6 literal
   * @param port the port the did:web names, -1 for none
   * @param timeout how long the name lookup may take
   * @throws ForbiddenDidHostException if the port is not 443, or the host is not public
   * @throws DidHostUnavailableException if the name does not resolve in time
   */
  public void check(String host, int port, Duration timeout)
      throws ForbiddenDidHostException, DidHostUnavailableException {
    if (!allowLocalHosts && port != -1 && port != ALLOWED_PORT) {
      throw new ForbiddenDidHostException(
          "did:web port " + port + " is not allowed (only " + ALLOWED_PORT + ")");
    }
    check(host, timeout);
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
    byte[] embedded = embeddedIpv4(bytes);
    if (embedded != null) {
      return isPublicIpv4(embedded);
    }
    return isPublicIpv6(bytes);
  }

  /** Global unicast 2000::/3 minus its special-purpose blocks; everything else is refused. */
  private static boolean isPublicIpv6(byte[] b) {
    int first16 = ((b[0] & 0xff) << 8) | (b[1] & 0xff);
    int second16 = ((b[2] & 0xff) << 8) | (b[3] & 0xff);
    if ((b[0] & 0xe0) != 0x20) {
      return false; // outside 2000::/3: unique-local, link-local, multicast, 100::/64, unassigned
    }
    return !((first16 == 0x2001 && second16 < 0x0200) // 2001::/23 IETF protocol, incl. Teredo
        || (first16 == 0x2001 && second16 == 0x0db8) // 2001:db8::/32 documentation
        || (first16 & 0xfff0) == 0x3ff0); // 3fff::/20 documentation (RFC 9637)
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
        || (first == 192 && second == 0 && (b[2] & 0xff) == 2) // documentation TEST-NET-1
        || (first == 192 && second == 88 && (b[2] & 0xff) == 99) // deprecated 6to4 relay anycast
        || (first == 198 && (second & 0xfe) == 18) // benchmarking 198.18/15
        || (first == 198 && second == 51 && (b[2] & 0xff) == 100) // documentation TEST-NET-2
        || (first == 203 && second == 0 && (b[2] & 0xff) == 113) // documentation TEST-NET-3
        || first >= 224); // multicast, reserved, broadcast
  }

  /** The IPv4 address an IPv6 address carries by a standard embedding, or null. */
  private static byte[] embeddedIpv4(byte[] v6) {
    boolean firstTenZero = Arrays.equals(v6, 0, 10, new byte[10], 0, 10);
    boolean mapped = firstTenZero && v6[10] == (byte) 0xff && v6[11] == (byte) 0xff;
    boolean compatible = firstTenZero && v6[10] == 0 && v6[11] == 0;
    boolean translated =
        Arrays.equals(v6, 0, 8, new byte[8], 0, 8)
            && v6[8] == (byte) 0xff
            && v6[9] == (byte) 0xff
            && v6[10] == 0
            && v6[11] == 0;
    boolean nat64 =
        v6[0] == 0x00
            && v6[1] == 0x64
            && v6[2] == (byte) 0xff
            && v6[3] == (byte) 0x9b
            && Arrays.equals(v6, 4, 12, new byte[8], 0, 8);
    if (mapped || compatible || translated || nat64) {
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
    if (!pendingLookups.tryAcquire()) {
      throw new DidHostUnavailableException(
          "Too many did:web host name lookups in progress, not resolving " + host, true);
    }
    FutureTask<InetAddress[]> task =
        new FutureTask<>(
            () -> {
              try {
                return lookup.lookup(host);
              } finally {
                pendingLookups.release();
              }
            });
    try {
      Thread.ofVirtual().name("did-web-lookup").start(task);
    } catch (RuntimeException | Error e) {
      pendingLookups.release();
      throw e;
    }
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
