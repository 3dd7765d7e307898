package dev.atpkeyserver.server.cache;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class CacheScopeTest {

  @Test
  void everyScopeSurvivesTheWire() {
    for (CacheScope scope :
        new CacheScope[] {
          CacheScope.keypair("did:plc:abc123"),
          CacheScope.group("did:web:example.com%3A8080#friends"),
          CacheScope.all()
        }) {
      assertThat(CacheScope.fromWire(scope.wire()), equalTo(Optional.of(scope)));
    }
  }

  @Test
  void unknownMessagesAreNotScopes() {
    assertThat(CacheScope.fromWire(""), equalTo(Optional.empty()));
    assertThat(CacheScope.fromWire(null), equalTo(Optional.empty()));
    assertThat(CacheScope.fromWire("xdid:plc:abc"), equalTo(Optional.empty()));
    assertThat(CacheScope.fromWire("k"), equalTo(Optional.empty()));
    assertThat(CacheScope.fromWire("*extra"), equalTo(Optional.empty()));
  }
}
