package dev.atpkeyserver.server.net;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An address block in CIDR notation ({@code 10.0.0.0/8}, {@code fd00::/8}) or a single address.
 *
 * @param network the network's address bytes
 * @param prefixLength number of leading bits that must match
 */
// Identity equality of the array component is harmless: matched through contains(), never compared
// or hashed.
@SuppressWarnings("ArrayRecordComponent")
public record IpRange(byte[] network, int prefixLength) {

  /**
   * Parses {@code 192.0.2.10}, {@code 192.0.2.0/24} or an IPv6 equivalent. Only literal addresses
   * are accepted: a host name here would make every request wait on DNS.
   */
  public static IpRange parse(String text) {
    String trimmed = text.strip();
    int slash = trimmed.indexOf('/');
    String address = slash < 0 ? trimmed : trimmed.substring(0, slash);
    if (!isLiteral(address)) {
      throw new IllegalArgumentException("not an IP address or CIDR block: " + text);
    }
    byte[] bytes;
    try {
      bytes = InetAddress.getByName(address).getAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IP address or CIDR block: " + text, e);
    }
    int prefix = slash < 0 ? bytes.length * 8 : Integer.parseInt(trimmed.substring(slash + 1));
    if (prefix < 0 || prefix > bytes.length * 8) {
      throw new IllegalArgumentException("bad prefix length in " + text);
    }
    return new IpRange(bytes, prefix);
  }

  /** Whether {@code address} lies in this block (an IPv4 address never matches an IPv6 block). */
  public boolean contains(InetAddress address) {
    byte[] candidate = address.getAddress();
    if (candidate.length != network.length) {
      return false;
    }
    int fullBytes = prefixLength / 8;
    for (int i = 0; i < fullBytes; i++) {
      if (candidate[i] != network[i]) {
        return false;
      }
    }
    int remainingBits = prefixLength % 8;
    if (remainingBits == 0) {
      return true;
    }
    int mask = (0xFF << (8 - remainingBits)) & 0xFF;
    return (candidate[fullBytes] & mask) == (network[fullBytes] & mask);
  }

  private static boolean isLiteral(String address) {
    return address.contains(":") || address.matches("[0-9.]+");
  }
}
