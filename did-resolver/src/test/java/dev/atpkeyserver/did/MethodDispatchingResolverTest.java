package dev.atpkeyserver.did;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MethodDispatchingResolverTest {

  @RegisterExtension
  static WireMockExtension server =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  private final List<String> calls = new CopyOnWriteArrayList<>();

  @Test
  void sendsPlcAndWebToTheirResolversWithTheRefreshFlag() throws DidResolutionException {
    MethodDispatchingResolver resolver =
        new MethodDispatchingResolver(recording("plc"), recording("web"));

    resolver.resolve(TestDocuments.plcDid(1), true);
    resolver.resolve(TestDocuments.parse("did:web:example.com"));

    assertThat(
        calls,
        contains("plc " + TestDocuments.plcDid(1) + " true", "web did:web:example.com false"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "did:key:zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme",
        "did:example:123456789abcdefghi",
        "did:ethr:0xb9c5714089478a327f09197987f16f9e5d936e8a"
      })
  void refusesEveryOtherMethod(String text) {
    MethodDispatchingResolver resolver =
        new MethodDispatchingResolver(recording("plc"), recording("web"));

    UnsupportedDidMethodException e =
        assertThrows(
            UnsupportedDidMethodException.class, () -> resolver.resolve(TestDocuments.parse(text)));

    assertThat(e.getMessage(), containsString("did:" + text.split(":", -1)[1]));
    assertThat(calls, is(empty()));
  }

  @Test
  void standardResolverFetchesPlcAndWebOverHttp() throws DidResolutionException {
    Did plc = TestDocuments.plcDid(2);
    Did web = TestDocuments.parse("did:web:localhost%3A" + server.getPort());
    server.stubFor(
        get("/" + plc.toString().replace(":", "%3A"))
            .willReturn(okJson(TestDocuments.document(plc))));
    server.stubFor(
        get("/.well-known/did.json")
            .willReturn(okJson(TestDocuments.documentWithDidKey(web, TestDocuments.P256_DID_KEY))));
    DidResolver resolver =
        MethodDispatchingResolver.create(
            ResolverOptions.builder()
                .plcUrl(URI.create(server.baseUrl()))
                .allowLocalHosts(true)
                .build());

    assertThat(
        resolver.resolve(plc).atprotoSigningKey().orElseThrow().toDidKey(),
        equalTo(TestDocuments.K256_DID_KEY));
    assertThat(
        resolver.resolve(web).atprotoSigningKey().orElseThrow().toDidKey(),
        equalTo(TestDocuments.P256_DID_KEY));
  }

  private DidResolver recording(String name) {
    return (did, forceRefresh) -> {
      calls.add(name + " " + did + " " + forceRefresh);
      return DidDocument.parse(did, TestDocuments.bytes(TestDocuments.document(did)));
    };
  }
}
