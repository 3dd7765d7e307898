package dev.atpkeyserver.server.net;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** CIDR matching for the trusted-proxy list. */
// Every address here is a literal, which InetAddress.getByName parses without a lookup.
@SuppressWarnings("AddressSelection")
class IpRangeTest {

  @Test
  void matchesAddressesInsideTheBlockOnly() throws Exception {
    IpRange block = IpRange.parse("10.1.0.0/16");
    assertThat(block.contains(InetAddress.getByName("10.1.255.3")), equalTo(true));
    assertThat(block.contains(InetAddress.getByName("10.2.0.1")), equalTo(false));
    assertThat(block.contains(InetAddress.getByName("::1")), equalTo(false));
  }

  @Test
  void handlesOddPrefixesAndSingleAddresses() throws Exception {
    assertThat(
        IpRange.parse("192.0.2.128/25").contains(InetAddress.getByName("192.0.2.200")),
        equalTo(true));
    assertThat(
        IpRange.parse("192.0.2.128/25").contains(InetAddress.getByName("192.0.2.100")),
        equalTo(false));
    assertThat(
        IpRange.parse("192.0.2.7").contains(InetAddress.getByName("192.0.2.7")), equalTo(true));
    assertThat(IpRange.parse("fd00::/8").contains(InetAddress.getByName("fd12::1")), equalTo(true));
  }

  @Test
  void refusesHostNamesAndBadPrefixes() {
    for (String bad : List.of("proxy.internal", "10.0.0.0/33", "")) {
      try {
        IpRange.parse(bad);
        throw new AssertionError("accepted " + bad);
      } catch (IllegalArgumentException expected) {
        // refused, as it should be
      }
    }
  }
}
