package dev.atpkeyserver.server.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.matching.UrlPathPattern;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * A WireMock server standing in for the PLC directory, serving DID documents for {@link TestUser}s
 * over real HTTP.
 */
public final class DidDirectory implements AutoCloseable {

  private final WireMockServer server;
  private final Map<String, StubMapping> stubs = new ConcurrentHashMap<>();

  /** Starts on a free loopback port. */
  public DidDirectory() {
    server = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
    server.start();
  }

  /** The URL to configure as {@code keyserver.plc-url}. */
  public String url() {
    return "http://127.0.0.1:" + server.port();
  }

  /** Publishes (or replaces) the user's DID document with their current key. */
  public TestUser publish(TestUser user) {
    return publish(user, documentFor(user));
  }

  /** Serves {@code documentJson} as {@code user}'s DID document. */
  public TestUser publish(TestUser user, String documentJson) {
    answer(
        user,
        aResponse()
            .withStatus(200)
            .withHeader("Content-Type", "application/did+ld+json")
            .withBody(documentJson));
    return user;
  }

  /**
   * Serves {@code user}'s document as a did:web host does, at {@code /.well-known/did.json}; the
   * user's DID must be {@code did:web:localhost%3A<this port>}.
   */
  public TestUser publishWeb(TestUser user) {
    server.stubFor(
        get(urlPathMatching("/\\.well-known/did\\.json"))
            .willReturn(aResponse().withStatus(200).withBody(documentFor(user))));
    return user;
  }

  /** Answers requests for {@code user}'s document with a bare {@code status}. */
  public void failWith(TestUser user, int status) {
    answer(user, aResponse().withStatus(status));
  }

  /** Serves the user's document only after {@code delayMillis}. */
  public void delay(TestUser user, int delayMillis) {
    answer(
        user, aResponse().withStatus(200).withFixedDelay(delayMillis).withBody(documentFor(user)));
  }

  /** How many times the user's document was fetched. */
  public int fetchCount(TestUser user) {
    return server.findAll(getRequestedFor(pathOf(user.did()))).size();
  }

  private void answer(TestUser user, ResponseDefinitionBuilder response) {
    StubMapping previous = stubs.remove(user.did());
    if (previous != null) {
      server.removeStub(previous);
    }
    stubs.put(user.did(), server.stubFor(get(pathOf(user.did())).willReturn(response)));
  }

  /** A DID document in the current atproto form: a Multikey {@code #atproto} key and a PDS. */
  public static String documentFor(TestUser user) {
    String did = user.did();
    return """
        {"@context":["https://www.w3.org/ns/did/v1","https://w3id.org/security/multikey/v1"],
         "id":"%s",
         "alsoKnownAs":["at://user.test"],
         "verificationMethod":[{"id":"%s#atproto","type":"Multikey","controller":"%s",
           "publicKeyMultibase":"%s"}],
         "service":[{"id":"#atproto_pds","type":"AtprotoPersonalDataServer",
           "serviceEndpoint":"https://pds.test"}]}
        """
        .formatted(did, did, did, user.signingKey().toMultibase());
  }

  /** The PLC directory path of a DID; the resolver may percent-encode its colons. */
  private static UrlPathPattern pathOf(String did) {
    return urlPathMatching("/" + Pattern.quote(did).replace(":", "\\E(?::|%3A)\\Q"));
  }

  @Override
  public void close() {
    server.stop();
  }
}
