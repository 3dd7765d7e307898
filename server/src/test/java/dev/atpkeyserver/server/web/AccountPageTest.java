package dev.atpkeyserver.server.web;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import dev.atpkeyserver.server.testing.KeyserverExtension;
import dev.atpkeyserver.server.testing.TestDatabase;
import dev.atpkeyserver.server.testing.TestServer;
import java.net.http.HttpResponse;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the server sends for the account page, without a browser (AccountPageBrowserTest uses one).
 */
class AccountPageTest {

  @RegisterExtension static final KeyserverExtension keyserver = new KeyserverExtension();

  private final TestServer server = keyserver.on(TestDatabase.H2);

  @Test
  void thePageItsScriptAndStyleComeWithAStrictPolicy() {
    for (String[] asset :
        new String[][] {
          {"/account", "text/html; charset=utf-8"},
          {"/account/account.js", "text/javascript; charset=utf-8"},
          {"/account/account.css", "text/css; charset=utf-8"}
        }) {
      HttpResponse<String> response = server.get(asset[0]);
      assertThat(asset[0], response.statusCode(), is(200));
      assertThat(response.headers().firstValue("Content-Type").orElseThrow(), equalTo(asset[1]));
      String policy = response.headers().firstValue("Content-Security-Policy").orElseThrow();
      assertThat(policy, containsString("default-src 'none'"));
      assertThat(policy, containsString("script-src 'self';"));
      assertThat(policy, containsString("style-src 'self';"));
      assertThat(policy, containsString("frame-ancestors 'none'"));
      assertThat(policy, not(containsString("unsafe")));
      // The test servers do not allow local hosts: the page may call https origins only.
      assertThat(policy, containsString("connect-src 'self' https:;"));
      assertThat(
          response.headers().firstValue("X-Content-Type-Options"),
          is(java.util.Optional.of("nosniff")));
    }
  }

  @Test
  void thePageHasNoInlineScriptStyleOrHandler() {
    String html = server.get("/account").body();
    assertThat(
        html, containsString("<script type=\"module\" src=\"/account/account.js\"></script>"));
    assertThat(
        Pattern.compile("<script>|<style|style=\"|\\son[a-z]+=").matcher(html).find(), is(false));
  }

  @Test
  void everyInputHasALabel() {
    String html = server.get("/account").body();
    var inputs = Pattern.compile("<input id=\"([a-z-]+)\"").matcher(html);
    int count = 0;
    while (inputs.find()) {
      count++;
      assertThat(html, containsString("<label for=\"" + inputs.group(1) + "\">"));
    }
    assertThat(count, is(4));
  }

  @Test
  void configNamesTheServiceDidAndThePlcDirectory() {
    HttpResponse<String> response = server.get("/account/config.json");
    assertThat(response.statusCode(), is(200));
    assertThat(
        response.body(),
        containsString("\"serviceDid\":\"" + KeyserverExtension.SERVICE_DID + "\""));
    assertThat(
        response.body(), containsString("\"plcUrl\":\"" + keyserver.directory().url() + "\""));
  }

  @Test
  void theRootKeepsTheContractsJson() {
    HttpResponse<String> response = server.get("/");
    assertThat(response.statusCode(), is(200));
    assertThat(response.body(), containsString("\"name\":\"@atpkeyserver/server\""));
  }

  @Test
  void anUnknownFileUnderAccountIsTheUsual404() {
    HttpResponse<String> response = server.get("/account/secret.txt");
    assertThat(response.statusCode(), is(404));
    assertThat(response.body(), containsString("\"error\""));
  }
}
