package dev.atpkeyserver.server.web;

import dev.atpkeyserver.xrpc.ErrorBodies;
import dev.atpkeyserver.xrpc.JsonOut;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;

/**
 * {@code /account}: the page where people see their keypair versions and who read their keys, and
 * delete all their data. Plain HTML, CSS and JavaScript from {@code resources/account/}; the script
 * signs in at the user's PDS and sends the keyserver only short-lived service tokens, one per call,
 * so no password ever reaches this server.
 *
 * <p>Every answer carries a Content-Security-Policy that allows scripts and styles only from this
 * origin (no inline code), no frames, no plugins, and network calls only to this origin and to
 * https origins (the user's PDS, the PLC directory, the handle resolver).
 */
public final class AccountPage implements HttpService {

  private static final String FOLDER = "account/";

  private final byte[] html = resource("index.html");
  private final byte[] script = resource("account.js");
  private final byte[] style = resource("account.css");
  private final byte[] config;
  private final String policy;

  /**
   * @param serviceDid the keyserver's DID: the {@code aud} of the tokens the page asks for
   * @param plcUrl the PLC directory the page resolves did:plc identities at, the server's own
   * @param allowLocalHosts let the page reach PDSes on {@code http://localhost} and {@code
   *     http://127.0.0.1} too (local development and tests, like {@code
   *     keyserver.did-web.allow-local-hosts})
   */
  public AccountPage(String serviceDid, URI plcUrl, boolean allowLocalHosts) {
    String plc = plcUrl.toString();
    this.config =
        JsonOut.toBytes(
            out ->
                out.beginObject()
                    .name("serviceDid")
                    .value(serviceDid)
                    .name("plcUrl")
                    .value(plc.endsWith("/") ? plc.substring(0, plc.length() - 1) : plc)
                    .endObject());
    String connect =
        "'self' https:" + (allowLocalHosts ? " http://localhost:* http://127.0.0.1:*" : "");
    this.policy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src "
            + connect
            + "; form-action 'none'; base-uri 'none'; frame-ancestors 'none'";
  }

  @Override
  public void routing(HttpRules rules) {
    rules
        .get("/", (req, res) -> send(res, "text/html; charset=utf-8", html))
        .get("/account.js", (req, res) -> send(res, "text/javascript; charset=utf-8", script))
        .get("/account.css", (req, res) -> send(res, "text/css; charset=utf-8", style))
        .get("/config.json", this::config);
  }

  private void config(ServerRequest req, ServerResponse res) {
    res.header(ErrorBodies.CONTENT_TYPE_JSON);
    send(res, null, config);
  }

  private void send(ServerResponse res, String contentType, byte[] body) {
    if (contentType != null) {
      res.header(HeaderNames.CONTENT_TYPE, contentType);
    }
    res.header("Content-Security-Policy", policy)
        .header("X-Content-Type-Options", "nosniff")
        .header("Referrer-Policy", "no-referrer")
        .header(HeaderValues.CACHE_NO_CACHE)
        .send(body);
  }

  private static byte[] resource(String name) {
    try (InputStream in = AccountPage.class.getClassLoader().getResourceAsStream(FOLDER + name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + FOLDER + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
