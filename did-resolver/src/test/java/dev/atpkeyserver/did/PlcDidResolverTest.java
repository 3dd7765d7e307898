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
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PlcDidResolverTest {

  @RegisterExtension
  static WireMockExtension plc =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  private static final Did DID = TestDocuments.parse("did:plc:ewvi7nxzyoun6zhxrhs64oiz");
  private static final String PATH = "/did%3Aplc%3Aewvi7nxzyoun6zhxrhs64oiz";

  @ParameterizedTest
  @CsvSource({
    "Multikey, zQ3shqwJEJyMBsBXCWyCBpUBMqxcon9oHB7mCvx4sSpMdLJwc, SECP256K1",
    "Multikey, zDnaembgSGUhZULN2Caob4HLJPaxBh92N7rtH21TErzqf8HQo, P256",
    "EcdsaSecp256k1VerificationKey2019, z25z9DTpsiYYJKGsWmSPJK2NFN8PcJtZig12K59UgW7q5t, SECP256K1",
    "EcdsaSecp256r1VerificationKey2019, zxdM8dSstjrpZaRUwBmDvjGXweKuEMVN95A9oJBFjkWMh, P256"
  })
  void resolvesTheSigningKeyOfEveryEncoding(String type, String multibase, KeyCurve curve)
      throws DidResolutionException {
    plc.stubFor(
        get(PATH).willReturn(okJson(TestDocuments.document(DID.toString(), type, multibase))));
    String expected =
        curve == KeyCurve.SECP256K1 ? TestDocuments.K256_DID_KEY : TestDocuments.P256_DID_KEY;

    DidDocument doc = resolver().resolve(DID);

    assertThat(doc.atprotoSigningKey().orElseThrow().curve(), equalTo(curve));
    assertThat(doc.atprotoSigningKey().orElseThrow().toDidKey(), equalTo(expected));
    assertThat(doc.handle().orElseThrow(), equalTo("alice.example.com"));
    assertThat(doc.pdsEndpoint().orElseThrow(), equalTo(URI.create(TestDocuments.PDS)));
  }

  @Test
  void requestsThePercentEncodedDidWithTheDidAcceptHeader() throws DidResolutionException {
    plc.stubFor(get(anyUrl()).willReturn(okJson(TestDocuments.document(DID))));

    resolver().resolve(DID);

    plc.verify(
        1,
        getRequestedFor(urlEqualTo(PATH))
            .withHeader("Accept", WireMock.equalTo("application/did+ld+json,application/json")));
    plc.verify(1, anyRequestedFor(anyUrl()));
  }

  @Test
  void replacesAnyPathOnThePlcUrlLikeTheOfficialResolver() throws DidResolutionException {
    plc.stubFor(get(PATH).willReturn(okJson(TestDocuments.document(DID))));
    PlcDidResolver resolver =
        new PlcDidResolver(options().plcUrl(URI.create(plc.baseUrl() + "/some/path")).build());

    resolver.resolve(DID);

    plc.verify(1, getRequestedFor(urlEqualTo(PATH)));
  }

  @ParameterizedTest
  @ValueSource(ints = {404, 410})
  void reportsNotFoundWhenTheDirectorySaysSo(int status) {
    plc.stubFor(get(PATH).willReturn(aResponse().withStatus(status)));

    DidNotFoundException e =
        assertThrows(DidNotFoundException.class, () -> resolver().resolve(DID));

    assertThat(e.getMessage(), containsString(DID.toString()));
    assertThat(e.getMessage(), containsString(String.valueOf(status)));
  }

  @ParameterizedTest
  @ValueSource(ints = {500, 502, 503, 504, 429, 408})
  void serverErrorsAndRateLimitsAreRetryable(int status) {
    plc.stubFor(get(PATH).willReturn(aResponse().withStatus(status)));

    DidHostUnavailableException e =
        assertThrows(DidHostUnavailableException.class, () -> resolver().resolve(DID));

    assertThat(e.retryable(), is(true));
    assertThat(e.getMessage(), containsString("HTTP " + status));
  }

  @ParameterizedTest
  @ValueSource(ints = {400, 401, 403, 405})
  void otherClientErrorsAreNotRetryable(int status) {
    plc.stubFor(get(PATH).willReturn(aResponse().withStatus(status)));

    DidHostUnavailableException e =
        assertThrows(DidHostUnavailableException.class, () -> resolver().resolve(DID));

    assertThat(e.retryable(), is(false));
  }

  @Test
  void errorMessagesNeverContainTheResponseBody() {
    plc.stubFor(get(PATH).willReturn(aResponse().withStatus(500).withBody("SECRET-BODY")));

    DidHostUnavailableException e =
        assertThrows(DidHostUnavailableException.class, () -> resolver().resolve(DID));

    assertThat(e.getMessage(), not(containsString("SECRET")));
  }

  @Test
  void givesUpAfterTheConfiguredTimeout() {
    plc.stubFor(get(PATH).willReturn(okJson(TestDocuments.document(DID)).withFixedDelay(5_000)));
    PlcDidResolver resolver = new PlcDidResolver(options().timeout(Duration.ofMillis(300)).build());

    long start = System.nanoTime();
    DidHostUnavailableException e =
        assertThrows(DidHostUnavailableException.class, () -> resolver.resolve(DID));
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

    assertThat(e.retryable(), is(true));
    assertThat(e.getMessage(), containsString("300 ms"));
    assertThat(elapsed, lessThan(Duration.ofMillis(2_500)));
  }

  @Test
  void timeoutAlsoCoversASlowBody() {
    plc.stubFor(
        get(PATH)
            .willReturn(okJson(TestDocuments.document(DID)).withChunkedDribbleDelay(20, 5_000)));
    PlcDidResolver resolver = new PlcDidResolver(options().timeout(Duration.ofMillis(500)).build());

    long start = System.nanoTime();
    DidHostUnavailableException e =
        assertThrows(DidHostUnavailableException.class, () -> resolver.resolve(DID));
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

    assertThat(e.retryable(), is(true));
    assertThat(elapsed, lessThan(Duration.ofSeconds(3)));
  }

  @ParameterizedTest
  @ValueSource(ints = {301, 302, 303, 307, 308})
  void refusesRedirectsWithoutFollowingThem(int status) {
    plc.stubFor(
        get(PATH)
            .willReturn(
                aResponse()
                    .withStatus(status)
                    .withHeader("Location", plc.baseUrl() + "/elsewhere")));
    plc.stubFor(get("/elsewhere").willReturn(okJson(TestDocuments.document(DID))));

    DidHostUnavailableException e =
        assertThrows(DidHostUnavailableException.class, () -> resolver().resolve(DID));

    assertThat(e.retryable(), is(false));
    assertThat(e.getMessage(), containsString("redirect"));
    plc.verify(0, getRequestedFor(urlEqualTo("/elsewhere")));
  }

  @Test
  void refusesADocumentLargerThanTheCap() {
    plc.stubFor(get(PATH).willReturn(okJson(padded(TestDocuments.document(DID), 5_000))));
    PlcDidResolver resolver = new PlcDidResolver(options().maxDocumentBytes(1_024).build());

    MalformedDidDocumentException e =
        assertThrows(MalformedDidDocumentException.class, () -> resolver.resolve(DID));

    assertThat(e.getMessage(), containsString("larger than 1024 bytes"));
  }

  @Test
  void refusesAChunkedDocumentLargerThanTheCap() {
    // Chunked: no Content-Length, so the cap is enforced while streaming.
    plc.stubFor(
        get(PATH)
            .willReturn(
                okJson(padded(TestDocuments.document(DID), 5_000)).withChunkedDribbleDelay(5, 50)));
    PlcDidResolver resolver = new PlcDidResolver(options().maxDocumentBytes(1_024).build());

    MalformedDidDocumentException e =
        assertThrows(MalformedDidDocumentException.class, () -> resolver.resolve(DID));

    assertThat(e.getMessage(), containsString("larger than 1024 bytes"));
  }

  @Test
  void acceptsADocumentOfExactlyTheCap() throws DidResolutionException {
    plc.stubFor(get(PATH).willReturn(okJson(padded(TestDocuments.document(DID), 2_000))));
    PlcDidResolver resolver = new PlcDidResolver(options().maxDocumentBytes(2_000).build());

    assertThat(resolver.resolve(DID).atprotoSigningKey().isPresent(), is(true));
  }

  @Test
  void refusesMalformedJson() {
    plc.stubFor(get(PATH).willReturn(okJson("{\"id\": \"" + DID + "\", ")));

    assertThrows(MalformedDidDocumentException.class, () -> resolver().resolve(DID));
  }

  @Test
  void refusesADocumentForAnotherDid() {
    plc.stubFor(get(PATH).willReturn(okJson(TestDocuments.document(TestDocuments.plcDid(7)))));

    MalformedDidDocumentException e =
        assertThrows(MalformedDidDocumentException.class, () -> resolver().resolve(DID));

    assertThat(e.getMessage(), containsString("'id'"));
  }

  @Test
  void refusesAVerificationMethodWithoutController() {
    String json =
        """
        {"id": "%s", "verificationMethod": [
          {"id": "#atproto", "type": "Multikey", "publicKeyMultibase": "%s"}]}
        """
            .formatted(DID, TestDocuments.K256_MULTIKEY);
    plc.stubFor(get(PATH).willReturn(okJson(json)));

    MalformedDidDocumentException e =
        assertThrows(MalformedDidDocumentException.class, () -> resolver().resolve(DID));

    assertThat(e.getMessage(), containsString("controller"));
  }

  @Test
  void resolvesADocumentWithoutAtprotoKeyAndSaysWhy() throws DidResolutionException {
    plc.stubFor(get(PATH).willReturn(okJson("{\"id\": \"" + DID + "\"}")));

    DidDocument doc = resolver().resolve(DID);

    assertThat(doc.atprotoSigningKey().isPresent(), is(false));
    assertThat(doc.atprotoKeyProblem().orElseThrow(), containsString("no #atproto"));
  }

  @Test
  void resolvesADocumentWithAnUndecodableKeyAndSaysWhy() throws DidResolutionException {
    plc.stubFor(
        get(PATH).willReturn(okJson(TestDocuments.document(DID.toString(), "Multikey", "zzzz"))));

    DidDocument doc = resolver().resolve(DID);

    assertThat(doc.atprotoSigningKey().isPresent(), is(false));
    assertThat(doc.atprotoKeyProblem().orElseThrow(), containsString("unusable"));
  }

  @Test
  void connectionRefusedIsRetryable() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    PlcDidResolver resolver =
        new PlcDidResolver(options().plcUrl(URI.create("http://127.0.0.1:" + closedPort)).build());

    DidHostUnavailableException e =
        assertThrows(DidHostUnavailableException.class, () -> resolver.resolve(DID));

    assertThat(e.retryable(), is(true));
    assertThat(e.getMessage(), containsString("PLC directory"));
  }

  @Test
  void refusesOtherMethodsWithoutARequest() {
    assertThrows(
        UnsupportedDidMethodException.class,
        () -> resolver().resolve(TestDocuments.parse("did:web:example.com")));
    plc.verify(0, anyRequestedFor(anyUrl()));
  }

  private static ResolverOptions.Builder options() {
    return ResolverOptions.builder().plcUrl(URI.create(plc.baseUrl()));
  }

  private static PlcDidResolver resolver() {
    return new PlcDidResolver(options().build());
  }

  /** The JSON followed by spaces up to exactly {@code size} bytes (ASCII). */
  static String padded(String json, int size) {
    return json + " ".repeat(size - json.length());
  }
}
