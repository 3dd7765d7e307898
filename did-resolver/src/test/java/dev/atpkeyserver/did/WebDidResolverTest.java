package dev.atpkeyserver.did;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class WebDidResolverTest {

  @RegisterExtension
  static WireMockExtension web =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  private static final String DOC_PATH = "/.well-known/did.json";

  @Test
  void resolvesLocalhostWithAPortOverHttpWhenLocalHostsAreAllowed() throws DidResolutionException {
    Did did = localDid();
    web.stubFor(get(DOC_PATH).willReturn(okJson(TestDocuments.document(did))));

    DidDocument doc = localResolver().resolve(did);

    assertThat(doc.id(), equalTo(did.toString()));
    assertThat(
        doc.atprotoSigningKey().orElseThrow().toDidKey(), equalTo(TestDocuments.K256_DID_KEY));
    web.verify(
        1,
        getRequestedFor(urlEqualTo(DOC_PATH))
            .withHeader("Accept", WireMock.equalTo("application/did+ld+json,application/json")));
  }

  @ParameterizedTest
  @ValueSource(ints = {404, 410, 403, 400, 401})
  void clientErrorsMeanNotFoundLikeTheOfficialResolver(int status) {
    web.stubFor(get(DOC_PATH).willReturn(aResponse().withStatus(status)));

    assertThrows(DidNotFoundException.class, () -> localResolver().resolve(localDid()));
  }

  @ParameterizedTest
  @ValueSource(ints = {500, 502, 503, 429})
  void serverErrorsAreRetryableUnavailability(int status) {
    web.stubFor(get(DOC_PATH).willReturn(aResponse().withStatus(status).withBody("SECRET")));

    DidHostUnavailableException e =
        assertThrows(DidHostUnavailableException.class, () -> localResolver().resolve(localDid()));

    assertThat(e.retryable(), is(true));
    assertThat(e.getMessage(), containsString("did:web host localhost"));
    assertThat(e.getMessage().contains("SECRET"), is(false));
  }

  @Test
  void refusesRedirectsWithoutFollowingThem() {
    web.stubFor(
        get(DOC_PATH)
            .willReturn(
                aResponse().withStatus(302).withHeader("Location", web.baseUrl() + "/moved")));
    web.stubFor(get("/moved").willReturn(okJson(TestDocuments.document(localDid()))));

    DidHostUnavailableException e =
        assertThrows(DidHostUnavailableException.class, () -> localResolver().resolve(localDid()));

    assertThat(e.retryable(), is(false));
    web.verify(0, getRequestedFor(urlEqualTo("/moved")));
  }

  @Test
  void givesUpAfterTheConfiguredTimeout() {
    web.stubFor(
        get(DOC_PATH).willReturn(okJson(TestDocuments.document(localDid())).withFixedDelay(5_000)));
    WebDidResolver resolver =
        new WebDidResolver(
            ResolverOptions.builder()
                .allowLocalHosts(true)
                .timeout(Duration.ofMillis(300))
                .build());

    long start = System.nanoTime();
    DidHostUnavailableException e =
        assertThrows(DidHostUnavailableException.class, () -> resolver.resolve(localDid()));

    assertThat(e.retryable(), is(true));
    assertThat(Duration.ofNanos(System.nanoTime() - start), lessThan(Duration.ofMillis(2_500)));
  }

  @Test
  void refusesADocumentForAnotherDid() {
    web.stubFor(
        get(DOC_PATH)
            .willReturn(
                okJson(TestDocuments.document(TestDocuments.parse("did:web:example.com")))));

    assertThrows(MalformedDidDocumentException.class, () -> localResolver().resolve(localDid()));
  }

  @Test
  void refusesADidWebWithAPathWithoutARequest() {
    Did did = TestDocuments.parse(localDid() + ":user:alice");

    UnsupportedDidWebPathException e =
        assertThrows(UnsupportedDidWebPathException.class, () -> localResolver().resolve(did));

    assertThat(e.getMessage(), containsString(did.toString()));
    web.verify(0, anyRequestedFor(anyUrl()));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "did:web:127.0.0.1",
        "did:web:10.0.0.1",
        "did:web:169.254.169.254",
        "did:web:0.0.0.0",
        "did:web:%5B%3A%3A1%5D",
        "did:web:%5B%3A%3Affff%3A127.0.0.1%5D",
        "did:web:localhost",
        "did:web:LocalHost"
      })
  void refusesLocalAndPrivateHostsByDefault(String text) {
    WebDidResolver resolver = new WebDidResolver(ResolverOptions.defaults());

    assertThrows(
        ForbiddenDidHostException.class, () -> resolver.resolve(TestDocuments.parse(text)));
  }

  @Test
  void refusesTheLocalTestServerByDefaultWithoutContactingIt() {
    WebDidResolver resolver = new WebDidResolver(ResolverOptions.defaults());
    web.stubFor(get(DOC_PATH).willReturn(okJson(TestDocuments.document(localDid()))));

    assertThrows(ForbiddenDidHostException.class, () -> resolver.resolve(localDid()));
    assertThrows(
        ForbiddenDidHostException.class,
        () -> resolver.resolve(TestDocuments.parse("did:web:127.0.0.1%3A" + web.getPort())));
    web.verify(0, anyRequestedFor(anyUrl()));
  }

  @Test
  void refusesAPublicHostOnAnotherPortThan443WithoutLookingItUp() {
    List<String> lookedUp = new CopyOnWriteArrayList<>();
    HostPolicy policy =
        new HostPolicy(
            false,
            host -> {
              lookedUp.add(host);
              return new InetAddress[] {InetAddress.getByName("93.184.215.14")};
            });
    WebDidResolver resolver = new WebDidResolver(ResolverOptions.defaults(), policy);

    ForbiddenDidHostException e =
        assertThrows(
            ForbiddenDidHostException.class,
            () -> resolver.resolve(TestDocuments.parse("did:web:example.com%3A6379")));

    assertThat(e.getMessage(), containsString("port 6379"));
    assertThat(lookedUp, equalTo(List.of()));
  }

  @Test
  void refusesANameThatResolvesToAPrivateAddress() {
    HostPolicy policy =
        new HostPolicy(false, host -> new InetAddress[] {InetAddress.getByName("10.9.8.7")});
    WebDidResolver resolver = new WebDidResolver(ResolverOptions.defaults(), policy);

    ForbiddenDidHostException e =
        assertThrows(
            ForbiddenDidHostException.class,
            () -> resolver.resolve(TestDocuments.parse("did:web:internal.example.com")));

    assertThat(e.getMessage(), containsString("internal.example.com"));
  }

  @Test
  void aSlowNameLookupCountsAgainstTheTimeout() {
    HostPolicy policy =
        new HostPolicy(
            false,
            host -> {
              try {
                Thread.sleep(10_000);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              return new InetAddress[0];
            });
    WebDidResolver resolver =
        new WebDidResolver(
            ResolverOptions.builder().timeout(Duration.ofMillis(300)).build(), policy);

    long start = System.nanoTime();
    DidHostUnavailableException e =
        assertThrows(
            DidHostUnavailableException.class,
            () -> resolver.resolve(TestDocuments.parse("did:web:slow.example.com")));

    assertThat(e.retryable(), is(true));
    assertThat(Duration.ofNanos(System.nanoTime() - start), lessThan(Duration.ofMillis(2_500)));
  }

  @Test
  void refusesOtherMethods() {
    assertThrows(
        UnsupportedDidMethodException.class,
        () -> localResolver().resolve(TestDocuments.parse("did:plc:ewvi7nxzyoun6zhxrhs64oiz")));
  }

  @ParameterizedTest
  @CsvSource({
    "did:web:example.com, false, https://example.com/.well-known/did.json",
    "did:web:Example.COM, false, https://example.com/.well-known/did.json",
    "did:web:localhost%3A2583, true, http://localhost:2583/.well-known/did.json",
    "did:web:localhost, true, http://localhost/.well-known/did.json",
    "did:web:localhost%3A2583, false, https://localhost:2583/.well-known/did.json",
    "did:web:127.0.0.1%3A2583, true, https://127.0.0.1:2583/.well-known/did.json",
    "did:web:keys.example.com%3A8443, false, https://keys.example.com:8443/.well-known/did.json",
    "did:web:%5B2001%3Adb8%3A%3A1%5D, false, https://[2001:db8::1]/.well-known/did.json",
    "did:web:%5B2001%3Adb8%3A%3A1%5D%3A8443, false, https://[2001:db8::1]:8443/.well-known/did.json"
  })
  void buildsTheWellKnownUrlAndUsesHttpOnlyForAllowedLocalhost(
      String did, boolean allowLocalHosts, String expected) throws DidResolutionException {
    assertThat(
        WebDidResolver.documentUri(TestDocuments.parse(did), allowLocalHosts),
        equalTo(URI.create(expected)));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "did:web:exa_mple.com",
        "did:web:example.com%2Fpath",
        "did:web:evil.example%40internal", // userinfo would change the host
        "did:web:example.com%23frag",
        "did:web:example.com%3F",
        "did:web:-example.com",
        "did:web:example..com",
        "did:web:example.com%3A0",
        "did:web:example.com%3A65536",
        "did:web:example.com%3Ahttp",
        "did:web:example.com%3A80%3A81",
        "did:web:%5B%3A%3A1",
        "did:web:%5B%3A%3A1%5Dx",
        "did:web:%5Bzz%5D",
        "did:web:exam%20ple.com",
        "did:web:%C3%28" // not UTF-8
      })
  void refusesIdentifiersThatAreNotAHostAndPort(String did) {
    assertThrows(
        MalformedDidException.class,
        () -> WebDidResolver.documentUri(TestDocuments.parse(did), true));
  }

  private static Did localDid() {
    return TestDocuments.parse("did:web:localhost%3A" + web.getPort());
  }

  private static WebDidResolver localResolver() {
    return new WebDidResolver(ResolverOptions.builder().allowLocalHosts(true).build());
  }
}
