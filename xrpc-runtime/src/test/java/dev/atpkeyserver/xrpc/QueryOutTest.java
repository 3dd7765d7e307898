package dev.atpkeyserver.xrpc;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import io.helidon.common.uri.UriQuery;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class QueryOutTest {

  @Test
  void percentEncodesEverythingButUnreservedCharacters() {
    QueryOut out =
        new QueryOut()
            .add("group_id", "did:plc:abc#friends")
            .add("q", "a b+c&d=e/f?g%h")
            .add("text", "hé~._-");
    assertThat(
        out.toString(),
        is(
            "group_id=did%3Aplc%3Aabc%23friends&q=a%20b%2Bc%26d%3De%2Ff%3Fg%25h"
                + "&text=h%C3%A9~._-"));
  }

  @Test
  void writesIntegersBooleansAndDatetimesInTheirWireForm() {
    QueryOut out =
        new QueryOut()
            .add("limit", 50)
            .add("flag", false)
            .add("when", Instant.parse("2025-01-24T10:30:00.123456Z"))
            .add("tags", "x")
            .add("tags", "y");
    assertThat(
        out.toString(), is("limit=50&flag=false&when=2025-01-24T10%3A30%3A00.123Z&tags=x&tags=y"));
  }

  @Test
  void readsBackAsTheServerReadsIt() {
    String tricky = "did:web:example.com%3A8080#a b+c";
    UriQuery query = UriQuery.create(new QueryOut().add("v", tricky).add("v", "2").toString());
    assertThat(query.all("v"), is(List.of(tricky, "2")));
  }

  @Test
  void startsEmpty() {
    assertThat(new QueryOut().isEmpty(), is(true));
    assertThat(new QueryOut().toString(), is(""));
    assertThat(new QueryOut().add("a", "").isEmpty(), is(false));
  }
}
