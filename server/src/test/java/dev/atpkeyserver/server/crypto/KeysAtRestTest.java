package dev.atpkeyserver.server.crypto;

import static dev.atpkeyserver.server.testing.Inputs.activeKeypair;
import static dev.atpkeyserver.server.testing.Inputs.groupKey;
import static dev.atpkeyserver.server.testing.Inputs.rotation;
import static dev.atpkeyserver.server.testing.Responses.assertError;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import dev.atpkeyserver.lexicon.client.KeyserverClient;
import dev.atpkeyserver.server.testing.EachDatabase;
import dev.atpkeyserver.server.testing.KeyserverExtension;
import dev.atpkeyserver.server.testing.TestDatabase;
import dev.atpkeyserver.server.testing.TestServer;
import dev.atpkeyserver.server.testing.TestUser;
import dev.atpkeyserver.xrpc.client.XrpcClientException;
import io.helidon.dbclient.DbRow;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Private and group keys are sealed in the database and bound to their rows. */
class KeysAtRestTest {

  @RegisterExtension static final KeyserverExtension keyserver = new KeyserverExtension();

  @EachDatabase
  void theDatabaseNeverHoldsAPrivateOrGroupKeyInClear(TestDatabase db) {
    TestServer server = keyserver.on(db);
    TestUser alice = keyserver.newUser();
    KeyserverClient asAlice = server.as(alice);
    String privateKey = asAlice.keypairGetKeypair(activeKeypair()).privateKey();
    String groupKey = asAlice.groupGetKey(groupKey(alice.did() + "#g")).secretKey();

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

  @EachDatabase
  void aSealedKeyCopiedToAnotherUserDoesNotOpen(TestDatabase db) {
    TestServer server = keyserver.on(db);
    TestUser alice = keyserver.newUser();
    TestUser mallory = keyserver.newUser();
    String alicesKey = server.as(alice).keypairGetKeypair(activeKeypair()).privateKey();
    KeyserverClient asMallory = server.as(mallory);
    // Mallory's keypair exists (versions 1 and 2) but has not been read, so no cache holds it:
    // the tampering below is what the next read sees.
    asMallory.keypairRotate(rotation());

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
    XrpcClientException refused =
        assertError(
            () -> asMallory.keypairGetKeypair(activeKeypair()), 500, "Internal Server Error", "");

    // The strict client has checked the body holds only error and message: neither has the key.
    assertThat(refused.errorMessage().orElseThrow(), not(containsString(alicesKey)));
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
