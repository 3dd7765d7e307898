package dev.atpkeyserver.server.ratelimit;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import java.net.InetAddress;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which addresses share a budget. */
class ClientKeysTest {

  @Test
  void ipv4AddressesCountAlone() throws Exception {
    assertThat(ClientKeys.of(InetAddress.getByName("192.0.2.1")), equalTo("192.0.2.1"));
    assertThat(
        ClientKeys.of(InetAddress.getByName("192.0.2.2")),
        not(equalTo(ClientKeys.of(InetAddress.getByName("192.0.2.1")))));
  }

  @Test
  void ipv6AddressesCountPerSlash64() throws Exception {
    String key = ClientKeys.of(InetAddress.getByName("2001:db8:1:2:aaaa::1"));

    assertThat(key, equalTo("20010db800010002::/64"));
    assertThat(
        ClientKeys.of(InetAddress.getByName("2001:db8:1:2:ffff:ffff:ffff:ffff")), equalTo(key));
    assertThat(ClientKeys.of(InetAddress.getByName("2001:db8:1:3::1")), not(equalTo(key)));
  }

  @Test
  void ipv4MappedIpv6CountsAsIpv4() throws Exception {
    assertThat(ClientKeys.of(InetAddress.getByName("::ffff:192.0.2.1")), equalTo("192.0.2.1"));
  }

  @Test
  void noAddressIsOneSharedKey() {
    assertThat(ClientKeys.of(Optional.empty()), equalTo(ClientKeys.UNKNOWN));
  }
}
