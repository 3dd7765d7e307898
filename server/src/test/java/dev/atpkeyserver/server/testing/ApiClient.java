package dev.atpkeyserver.server.testing;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/** Calls XRPC methods on a test server as a {@link TestUser}, with a fresh token per call. */
public final class ApiClient {

  /** The service DID test servers are configured with. */
  public static final String SERVICE_DID = "did:web:keyserver.test";

  private static final String PREFIX = "dev.atpkeyserver.alpha.";

  private final TestServer server;
  private final TestUser user;

  public ApiClient(TestServer server, TestUser user) {
    this.server = server;
    this.user = user;
  }

  /** {@code GET /xrpc/dev.atpkeyserver.alpha.<method>?<query>}. */
  public HttpResponse<String> query(String method, String query) {
    String nsid = PREFIX + method;
    return server.get(
        "/xrpc/" + nsid + (query.isEmpty() ? "" : "?" + query),
        "Authorization",
        "Bearer " + user.token(SERVICE_DID, nsid),
        "User-Agent",
        "keyserver-tests/1.0");
  }

  /** {@code POST /xrpc/dev.atpkeyserver.alpha.<method>} with a JSON body. */
  public HttpResponse<String> procedure(String method, String json) {
    String nsid = PREFIX + method;
    return server.postJson(
        "/xrpc/" + nsid, json, "Authorization", "Bearer " + user.token(SERVICE_DID, nsid));
  }

  /** URL-encodes a query value. */
  public static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
