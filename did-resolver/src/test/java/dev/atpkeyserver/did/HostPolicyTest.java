package dev.atpkeyserver.did;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HostPolicyTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(2);

  private final List<String> lookedUp = new CopyOnWriteArrayList<>();

  @ParameterizedTest
  @ValueSource(
      strings = {
        "127.0.0.1",
        "127.8.9.10",
        "0.0.0.0",
        "0.1.2.3",
        "10.0.0.1",
        "172.16.0.1",
        "172.31.255.255",
        "192.168.1.1",
        "169.254.169.254",
        "100.64.0.1",
        "100.127.255.255",
        "192.0.0.8",
        "198.18.0.1",
        "198.19.255.255",
        "224.0.0.1",
        "240.0.0.1",
        "255.255.255.255",
        "::1",
        "::",
        "fe80::1",
        "fc00::1",
        "fd12:3456:789a::1",
        "fec0::1",
        "ff02::1",
        "::127.0.0.1", // IPv4-compatible
        "64:ff9b::a00:1", // NAT64 of 10.0.0.1
        "2002:a00:1::1", // 6to4 of 10.0.0.1
        "192.0.2.1", // documentation TEST-NET-1
        "198.51.100.7", // documentation TEST-NET-2
        "203.0.113.9", // documentation TEST-NET-3
        "192.88.99.1", // deprecated 6to4 relay anycast
        "fe80::1%1", // link-local with a scope
        "febf:ffff::1", // top of fe80::/10
        "ff0e::1", // global-scope multicast
        "100::1", // discard-only 100::/64
        "::ffff:0:a00:1", // IPv4-translated 10.0.0.1
        "64:ff9b:1::808:808", // local-use NAT64, whatever it embeds
        "64:ff9b::7f00:1", // NAT64 of 127.0.0.1
        "64:ff9b::a9fe:a9fe", // NAT64 of 169.254.169.254
        "2002:c0a8:101::1", // 6to4 of 192.168.1.1
        "2001::1", // Teredo 2001::/32
        "2001:0:4136:e378:8000:63bf:3fff:fdd2", // a Teredo address
        "2001:2::1", // benchmarking 2001:2::/48
        "2001:10::1", // ORCHID, in 2001::/23
        "2001:db8::1", // documentation
        "3fff::1", // documentation (RFC 9637)
        "4000::1", // unassigned, outside 2000::/3
        "e000::1" // unassigned
      })
  void refusesNonPublicAddresses(String literal) throws UnknownHostException {
    assertThat(HostPolicy.isPublic(InetAddress.getByName(literal)), is(false));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "8.8.8.8",
        "1.1.1.1",
        "172.32.0.1",
        "172.15.255.255",
        "100.128.0.1",
        "100.63.255.255",
        "192.169.0.1",
        "198.20.0.1",
        "223.255.255.255",
        "2606:4700:4700::1111",
        "2001:4860:4860::8888",
        "2a00:1450:4001::1",
        "::ffff:0:808:808", // IPv4-translated 8.8.8.8
        "64:ff9b::808:808", // NAT64 of 8.8.8.8
        "2002:808:808::1" // 6to4 of 8.8.8.8
      })
  void allowsPublicAddresses(String literal) throws UnknownHostException {
    assertThat(HostPolicy.isPublic(InetAddress.getByName(literal)), is(true));
  }

  @Test
  void refusesIpv4MappedIpv6FormsOfPrivateAddresses() throws UnknownHostException {
    // Inet6Address.getByAddress keeps the IPv6 form that InetAddress.getByName would unwrap.
    assertThat(HostPolicy.isPublic(mapped(127, 0, 0, 1)), is(false));
    assertThat(HostPolicy.isPublic(mapped(10, 0, 0, 1)), is(false));
    assertThat(HostPolicy.isPublic(mapped(169, 254, 169, 254)), is(false));
    assertThat(HostPolicy.isPublic(mapped(8, 8, 8, 8)), is(true));
  }

  @ParameterizedTest
  @ValueSource(ints = {80, 8080, 22, 6379, 1, 65535})
  void refusesEveryPortButTheHttpsDefaultWithoutLookingUp(int port) {
    HostPolicy policy = new HostPolicy(false, this::recordingLookup);

    ForbiddenDidHostException e =
        assertThrows(
            ForbiddenDidHostException.class, () -> policy.check("example.com", port, TIMEOUT));

    assertThat(e.getMessage(), containsString("port " + port));
    assertThat(lookedUp, is(empty()));
  }

  @Test
  void allowsNoPortAndPort443() throws DidResolutionException {
    HostPolicy policy =
        new HostPolicy(
            false,
            host -> {
              lookedUp.add(host);
              return new InetAddress[] {InetAddress.getByName("93.184.215.14")};
            });

    policy.check("example.com", -1, TIMEOUT);
    policy.check("example.com", 443, TIMEOUT);

    assertThat(lookedUp.size(), is(2));
  }

  @Test
  void allowsAnyPortWhenLocalHostsAreAllowed() throws DidResolutionException {
    new HostPolicy(true, this::recordingLookup).check("localhost", 2583, TIMEOUT);
    assertThat(lookedUp, is(empty()));
  }

  @Test
  void boundsLookupsThatOutliveTheirTimeout() throws Exception {
    CountDownLatch dnsAnswers = new CountDownLatch(1);
    HostPolicy policy =
        new HostPolicy(
            false,
            host -> {
              lookedUp.add(host);
              // Like the JDK resolver, keep blocking when the lookup is cancelled (interrupted).
              boolean answered = false;
              while (!answered) {
                try {
                  dnsAnswers.await();
                  answered = true;
                } catch (InterruptedException e) {
                  // keep waiting
                }
              }
              return new InetAddress[] {InetAddress.getByName("93.184.215.14")};
            },
            2);
    Duration shortWait = Duration.ofMillis(50);
    for (String host : List.of("a.example", "b.example")) {
      assertThrows(DidHostUnavailableException.class, () -> policy.check(host, shortWait));
    }

    // Both lookups still hang: a third is refused at once, without starting another thread.
    long start = System.nanoTime();
    DidHostUnavailableException refused =
        assertThrows(DidHostUnavailableException.class, () -> policy.check("c.example", TIMEOUT));
    assertThat(System.nanoTime() - start, lessThan(Duration.ofMillis(100).toNanos()));
    assertThat(refused.getMessage(), containsString("Too many"));
    assertThat(lookedUp, is(List.of("a.example", "b.example")));

    dnsAnswers.countDown();
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (true) {
      try {
        policy.check("d.example", TIMEOUT);
        break;
      } catch (DidHostUnavailableException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(20);
      }
    }
  }

  @Test
  void refusesLocalhostNamesWithoutLookingThemUp() {
    HostPolicy policy = new HostPolicy(false, this::recordingLookup);

    for (String host : List.of("localhost", "LOCALHOST", "app.localhost")) {
      ForbiddenDidHostException e =
          assertThrows(ForbiddenDidHostException.class, () -> policy.check(host, TIMEOUT));
      assertThat(e.getMessage(), containsString(host));
    }
    assertThat(lookedUp, is(empty()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "10.0.0.1", "[::1]", "[::ffff:127.0.0.1]", "[fd00::1]"})
  void refusesPrivateIpLiteralsWithoutLookingThemUp(String host) {
    HostPolicy policy = new HostPolicy(false, this::recordingLookup);

    assertThrows(ForbiddenDidHostException.class, () -> policy.check(host, TIMEOUT));
    assertThat(lookedUp, is(empty()));
  }

  @Test
  void allowsPublicIpLiterals() throws DidResolutionException {
    HostPolicy policy = new HostPolicy(false, this::recordingLookup);

    policy.check("93.184.215.14", TIMEOUT);
    policy.check("[2606:4700:4700::1111]", TIMEOUT);

    assertThat(lookedUp, is(empty()));
  }

  @Test
  void refusesANameWithAnyPrivateAddress() {
    HostPolicy policy =
        new HostPolicy(
            false,
            host ->
                new InetAddress[] {
                  InetAddress.getByName("93.184.215.14"), InetAddress.getByName("10.1.2.3")
                });

    ForbiddenDidHostException e =
        assertThrows(
            ForbiddenDidHostException.class, () -> policy.check("sneaky.example", TIMEOUT));

    assertThat(e.getMessage(), containsString("non-public"));
  }

  @Test
  void allowsANameWithOnlyPublicAddresses() throws DidResolutionException {
    HostPolicy policy =
        new HostPolicy(
            false,
            host -> {
              lookedUp.add(host);
              return new InetAddress[] {InetAddress.getByName("93.184.215.14")};
            });

    policy.check("Example.COM", TIMEOUT);

    assertThat(lookedUp, is(List.of("example.com")));
  }

  @Test
  void allowsEverythingWithoutLookupWhenLocalHostsAreAllowed() throws DidResolutionException {
    HostPolicy policy = new HostPolicy(true, this::recordingLookup);

    policy.check("localhost", TIMEOUT);
    policy.check("127.0.0.1", TIMEOUT);
    policy.check("internal.example", TIMEOUT);

    assertThat(lookedUp, is(empty()));
  }

  @Test
  void anUnknownNameIsARetryableUnavailableHost() {
    HostPolicy policy =
        new HostPolicy(
            false,
            host -> {
              throw new UnknownHostException(host);
            });

    DidHostUnavailableException e =
        assertThrows(DidHostUnavailableException.class, () -> policy.check("nx.example", TIMEOUT));

    assertThat(e.retryable(), is(true));
  }

  @Test
  void aNameWithNoAddressesIsUnavailable() {
    HostPolicy policy = new HostPolicy(false, host -> new InetAddress[0]);

    assertThrows(DidHostUnavailableException.class, () -> policy.check("empty.example", TIMEOUT));
  }

  @Test
  void aSlowLookupTimesOut() {
    HostPolicy policy =
        new HostPolicy(
            false,
            host -> {
              try {
                Thread.sleep(10_000);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              return new InetAddress[] {InetAddress.getByName("93.184.215.14")};
            });

    long start = System.nanoTime();
    DidHostUnavailableException e =
        assertThrows(
            DidHostUnavailableException.class,
            () -> policy.check("slow.example", Duration.ofMillis(200)));
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

    assertThat(e.retryable(), is(true));
    assertThat(e.getMessage(), containsString("200 ms"));
    assertThat(elapsed, lessThan(Duration.ofSeconds(2)));
  }

  private InetAddress[] recordingLookup(String host) throws UnknownHostException {
    lookedUp.add(host);
    throw new UnknownHostException(host);
  }

  private static InetAddress mapped(int a, int b, int c, int d) throws UnknownHostException {
    byte[] bytes = new byte[16];
    bytes[10] = (byte) 0xff;
    bytes[11] = (byte) 0xff;
    bytes[12] = (byte) a;
    bytes[13] = (byte) b;
    bytes[14] = (byte) c;
    bytes[15] = (byte) d;
    return Inet6Address.getByAddress(null, bytes, -1);
  }
}
