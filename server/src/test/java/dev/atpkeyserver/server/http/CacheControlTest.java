package dev.atpkeyserver.server.http;

import static dev.atpkeyserver.server.testing.Responses.ok;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;

import dev.atpkeyserver.server.testing.ApiClient;
import dev.atpkeyserver.server.testing.DidDirectory;
import dev.atpkeyserver.server.testing.KeyserverExtension;
import dev.atpkeyserver.server.testing.RawHttp;
import dev.atpkeyserver.server.testing.TestDatabase;
import dev.atpkeyserver.server.testing.TestServer;
import dev.atpkeyserver.server.testing.TestUser;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every XRPC answer, success or error, tells caches not to store it: keys are per caller, and a
 * read served from a cache would be missing from the owner's access log. Service metadata stays
 * cacheable.
 */
class CacheControlTest {

  private static final DidDirectory directory = new DidDirectory();

  @RegisterExtension
  static final KeyserverExtension servers =
      new KeyserverExtension(
          Map.of(
              "keyserver.plc-url", directory.url(),
              "keyserver.service-did", ApiClient.SERVICE_DID,
              "keyserver.trusted-proxies", "127.0.0.1",
              "keyserver.rate-limit.enabled", "true",
              "keyserver.rate-limit.public.requests", "2"),
          directory);

  private static List<String> cacheControl(HttpResponse<String> response) {
    return response.headers().allValues("Cache-Control");
  }

  @Test
  void privateAndGroupKeysAreNeverStored() {
    TestServer server = servers.on(TestDatabase.H2);
    TestUser owner = directory.publish(TestUser.plc());
    ApiClient api = new ApiClient(server, owner);
    String group = ApiClient.encode(owner.did() + "#cache");

    HttpResponse<String> keypair = api.query("keypair.getKeypair", "");
    HttpResponse<String> groupKey = api.query("group.getKey", "group_id=" + group);

    ok(keypair);
    ok(groupKey);
    assertThat(cacheControl(keypair), contains("no-store"));
    assertThat(cacheControl(groupKey), contains("no-store"));
  }

  @Test
  void everyOtherXrpcAnswerIsNotStoredEither() {
    TestServer server = servers.on(TestDatabase.H2);
    TestUser owner = directory.publish(TestUser.plc());
    ApiClient api = new ApiClient(server, owner);
    ok(api.query("keypair.getKeypair", ""));
    String publicKey =
        "/xrpc/dev.atpkeyserver.alpha.keypair.getPublicKey?did=" + ApiClient.encode(owner.did());

    // A public read (logged for its owner), an error, a 404 and a 501: all stay out of caches.
    assertThat(
        cacheControl(ok200(server.get(publicKey, "X-Forwarded-For", "192.0.2.1"))),
        contains("no-store"));
    assertThat(
        cacheControl(server.get("/xrpc/dev.atpkeyserver.alpha.keypair.getKeypair")),
        contains("no-store"));
    assertThat(
        cacheControl(
            server.get(
                "/xrpc/dev.atpkeyserver.alpha.keypair.getPublicKey?did=did%3Aplc%3Anobody",
                "X-Forwarded-For", "192.0.2.2")),
        contains("no-store"));
    assertThat(
        cacheControl(server.get("/xrpc/com.example.nothing", "X-Forwarded-For", "192.0.2.3")),
        contains("no-store"));
  }

  @Test
  void aRateLimitedAnswerIsNotStored() {
    TestServer server = servers.on(TestDatabase.H2);
    HttpResponse<String> last = null;
    for (int i = 0; i < 3; i++) {
      last = server.get("/xrpc/com.example.nothing", "X-Forwarded-For", "192.0.2.10");
    }
    assertThat(last.statusCode(), equalTo(429));
    assertThat(cacheControl(last), contains("no-store"));
  }

  @Test
  void answersBeforeRoutingAreNotStored() {
    int port = servers.on(TestDatabase.H2).baseUri().getPort();
    RawHttp.Response tooLong =
        RawHttp.sendUnfinished(port, "GET /xrpc/" + "a".repeat(9000) + " HTTP/1.1\r\n");
    assertThat(tooLong.status(), equalTo(414));
    assertThat(tooLong.header("Cache-Control").orElse(""), equalTo("no-store"));
  }

  @Test
  void serviceMetadataStaysCacheable() {
    TestServer server = servers.on(TestDatabase.H2);
    assertThat(cacheControl(server.get("/", "X-Forwarded-For", "192.0.2.20")), empty());
    assertThat(
        cacheControl(server.get("/.well-known/did.json", "X-Forwarded-For", "192.0.2.21")),
        empty());
  }

  private static HttpResponse<String> ok200(HttpResponse<String> response) {
    ok(response);
    return response;
  }
}
