package dev.atpkeyserver.server.crypto;

import static dev.atpkeyserver.server.testing.ApiClient.encode;
import static dev.atpkeyserver.server.testing.Responses.ok;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import dev.atpkeyserver.server.testing.ApiClient;
import dev.atpkeyserver.server.testing.ApiServers;
import dev.atpkeyserver.server.testing.DidDirectory;
import dev.atpkeyserver.server.testing.KeyserverExtension;
import dev.atpkeyserver.server.testing.TestDatabase;
import dev.atpkeyserver.server.testing.TestServer;
import dev.atpkeyserver.server.testing.TestUser;
import io.helidon.dbclient.DbRow;
import java.net.http.HttpResponse;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Private and group keys are sealed in the database and bound to their rows. */
class KeysAtRestTest {

  private static final DidDirectory directory = new DidDirectory();

  @RegisterExtension
  static final KeyserverExtension servers = ApiServers.resolvingThrough(directory);

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void theDatabaseNeverHoldsAPrivateOrGroupKeyInClear(TestDatabase db) {
    TestServer server = servers.on(db);
    TestUser alice = directory.publish(TestUser.plc());
    ApiClient asAlice = new ApiClient(server, alice);
    String privateKey = ok(asAlice.query("keypair.getKeypair", "")).getString("privateKey");
    String groupKey =
        ok(asAlice.query("group.getKey", "group_id=" + encode(alice.did() + "#g")))
            .getString("secretKey");

    List<byte[]> sealedSeeds =
        server
            .database()
            .execute()
            .query("SELECT private_key_ciphertext FROM keypair_versions WHERE did = ?", alice.did())
            .map(row -> bytes(row, "private_key_ciphertext"))
            .toList();
    List<byte[]> sealedGroupKeys =
        server
            .database()
            .execute()
            .query(
                "SELECT key_ciphertext FROM group_key_versions WHERE group_id = ?",
                alice.did() + "#g")
            .map(row -> bytes(row, "key_ciphertext"))
            .toList();

    assertThat(sealedSeeds.size(), equalTo(1));
    assertThat(sealedGroupKeys.size(), equalTo(1));
    assertThat(contains(sealedSeeds.get(0), HexFormat.of().parseHex(privateKey)), is(false));
    assertThat(contains(sealedGroupKeys.get(0), HexFormat.of().parseHex(groupKey)), is(false));
    assertThat(HexFormat.of().formatHex(sealedSeeds.get(0)), not(containsString(privateKey)));
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void aSealedKeyCopiedToAnotherUserDoesNotOpen(TestDatabase db) {
    TestServer server = servers.on(db);
    TestUser alice = directory.publish(TestUser.plc());
    TestUser mallory = directory.publish(TestUser.plc());
    String alicesKey =
        ok(new ApiClient(server, alice).query("keypair.getKeypair", "")).getString("privateKey");
    ApiClient asMallory = new ApiClient(server, mallory);
    // Mallory's keypair exists (versions 1 and 2) but has not been read, so no cache holds it:
    // the tampering below is what the next read sees.
    ok(asMallory.procedure("keypair.rotate", "{}"));

    // Someone with write access to the database swaps Alice's sealed seed into Mallory's rows.
    server
        .database()
        .execute()
        .update(
            """
            UPDATE keypair_versions SET private_key_ciphertext =
              (SELECT private_key_ciphertext FROM keypair_versions WHERE did = ? AND version = 1)
            WHERE did = ?
            """,
            alice.did(),
            mallory.did());
    HttpResponse<String> response = asMallory.query("keypair.getKeypair", "");

    assertThat(response.statusCode(), equalTo(500));
    assertThat(response.body(), containsString("\"error\":\"Internal Server Error\""));
    assertThat(response.body(), not(containsString(alicesKey)));
  }

  private static byte[] bytes(DbRow row, String column) {
    return row.column(column).get(byte[].class);
  }

  private static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
