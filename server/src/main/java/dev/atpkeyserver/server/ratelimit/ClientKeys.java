package dev.atpkeyserver.server.ratelimit;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The key a client address is counted under. An IPv4 address counts on its own; an IPv6 address
 * counts with its whole /64, since one host is routinely given a /64 and could otherwise spread a
 * flood over 2^64 addresses.
 */
final class ClientKeys {

  /** Requests whose peer has no IP address (not on TCP) share one key. */
  static final String UNKNOWN = "unknown";

  private static final HexFormat HEX = HexFormat.of();

  private ClientKeys() {}

  static String of(Optional<InetAddress> address) {
    return address.map(ClientKeys::of).orElse(UNKNOWN);
  }

  static String of(InetAddress address) {
    if (address instanceof Inet6Address) {
      // Java already turns IPv4-mapped IPv6 addresses into Inet4Address.
      return HEX.formatHex(address.getAddress(), 0, 8) + "::/64";
    }
    return address.getHostAddress();
  }
}
