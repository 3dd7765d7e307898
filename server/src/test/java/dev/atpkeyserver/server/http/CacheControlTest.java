package dev.atpkeyserver.server.http;

import static dev.atpkeyserver.server.testing.Responses.ok;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;

import dev.atpkeyserver.lexicon.alpha.group.GetKey;
import dev.atpkeyserver.lexicon.alpha.keypair.GetKeypair;
import dev.atpkeyserver.lexicon.alpha.keypair.GetPublicKey;
import dev.atpkeyserver.server.testing.KeyserverExtension;
import dev.atpkeyserver.server.testing.RawHttp;
import dev.atpkeyserver.server.testing.TestDatabase;
import dev.atpkeyserver.server.testing.TestServer;
import dev.atpkeyserver.server.testing.TestUser;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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

  @RegisterExtension
  static final KeyserverExtension keyserver =
      new KeyserverExtension(
          Map.of(
              "keyserver.trusted-proxies", "127.0.0.1",
              "keyserver.rate-limit.enabled", "true",
              "keyserver.rate-limit.public.requests", "2"));

  /** {@code GET /xrpc/<nsid>?<query>} as {@code user}, raw: the headers are what is checked. */
  private static HttpResponse<String> call(
      TestServer server, TestUser user, String nsid, String query) {
    return server.get(
        "/xrpc/" + nsid + (query.isEmpty() ? "" : "?" + query),
        "Authorization",
        "Bearer " + user.token(server.serviceDid(), nsid));
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static List<String> cacheControl(HttpResponse<String> response) {
    return response.headers().allValues("Cache-Control");
  }

  @Test
  void privateAndGroupKeysAreNeverStored() {
    TestServer server = keyserver.on(TestDatabase.H2);
    TestUser owner = keyserver.newUser();

    HttpResponse<String> keypair = call(server, owner, GetKeypair.NSID, "");
    HttpResponse<String> groupKey =
        call(server, owner, GetKey.NSID, "group_id=" + encode(owner.did() + "#cache"));

    ok(keypair);
    ok(groupKey);
    assertThat(cacheControl(keypair), contains("no-store"));
    assertThat(cacheControl(groupKey), contains("no-store"));
  }

  @Test
  void everyOtherXrpcAnswerIsNotStoredEither() {
    TestServer server = keyserver.on(TestDatabase.H2);
    TestUser owner = keyserver.newUser();
    ok(call(server, owner, GetKeypair.NSID, ""));
    String publicKey = "/xrpc/" + GetPublicKey.NSID + "?did=";

    // A public read (logged for its owner), a 401, a 404 and a 501: all stay out of caches.
    HttpResponse<String> read =
        server.get(publicKey + encode(owner.did()), "X-Forwarded-For", "192.0.2.1");
    ok(read);
    assertThat(cacheControl(read), contains("no-store"));
    assertThat(cacheControl(server.get("/xrpc/" + GetKeypair.NSID)), contains("no-store"));
    assertThat(
        cacheControl(server.get(publicKey + "did%3Aplc%3Anobody", "X-Forwarded-For", "192.0.2.2")),
        contains("no-store"));
    assertThat(
        cacheControl(server.get("/xrpc/com.example.nothing", "X-Forwarded-For", "192.0.2.3")),
        contains("no-store"));
  }

  @Test
  void aRateLimitedAnswerIsNotStored() {
    TestServer server = keyserver.on(TestDatabase.H2);
    HttpResponse<String> last = null;
    for (int i = 0; i < 3; i++) {
      last = server.get("/xrpc/com.example.nothing", "X-Forwarded-For", "192.0.2.10");
    }
    assertThat(last.statusCode(), equalTo(429));
    assertThat(cacheControl(last), contains("no-store"));
  }

  @Test
  void answersBeforeRoutingAreNotStored() {
    int port = keyserver.on(TestDatabase.H2).baseUri().getPort();
    RawHttp.Response tooLong =
        RawHttp.sendUnfinished(port, "GET /xrpc/" + "a".repeat(9000) + " HTTP/1.1\r\n");
    assertThat(tooLong.status(), equalTo(414));
    assertThat(tooLong.header("Cache-Control").orElse(""), equalTo("no-store"));
  }

  @Test
  void serviceMetadataStaysCacheable() {
    TestServer server = keyserver.on(TestDatabase.H2);
    assertThat(cacheControl(server.get("/", "X-Forwarded-For", "192.0.2.20")), empty());
    assertThat(
        cacheControl(server.get("/.well-known/did.json", "X-Forwarded-For", "192.0.2.21")),
        empty());
  }
}
