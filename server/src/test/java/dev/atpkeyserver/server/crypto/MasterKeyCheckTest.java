package dev.atpkeyserver.server.crypto;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.atpkeyserver.server.db.Database;
import dev.atpkeyserver.server.testing.EachDatabase;
import dev.atpkeyserver.server.testing.TestDatabase;
import java.time.Clock;

/** A database remembers its master key, and refuses another one. */
class MasterKeyCheckTest {

  @EachDatabase
  void acceptsTheSameKeyAgainAndRefusesAnother(TestDatabase db) throws Exception {
    TestDatabase.Fresh fresh = db.create();
    String original = MasterKey.generateJson();
    try (Database database = Database.open(fresh.settings())) {
      MasterKeyCheck.verify(database, MasterKey.fromJson(original), Clock.systemUTC());
      MasterKeyCheck.verify(database, MasterKey.fromJson(original), Clock.systemUTC());

      MasterKey other = MasterKey.fromJson(MasterKey.generateJson());
      IllegalStateException refused =
          assertThrows(
              IllegalStateException.class,
              () -> MasterKeyCheck.verify(database, other, Clock.systemUTC()));
      assertThat(refused.getMessage(), containsString("does not match this database"));
    } finally {
      fresh.drop();
    }
  }
}
