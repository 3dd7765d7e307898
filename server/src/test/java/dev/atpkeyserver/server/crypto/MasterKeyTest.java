package dev.atpkeyserver.server.crypto;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sealing binds key material to its row; the master key is found, or made, where configured. */
class MasterKeyTest {

  @Test
  void opensOnlyForTheSameKindOwnerAndVersion() throws Exception {
    MasterKey master = MasterKey.fromJson(MasterKey.generateJson());
    KeyMaterial seed = KeyGenerators.ed25519().privateSeed();

    byte[] sealed = master.sealKeypair(seed, "did:plc:alice", 3);

    assertThat(master.openKeypair(sealed, "did:plc:alice", 3), equalTo(seed));
    assertThrows(
        MasterKey.SealedKeyException.class, () -> master.openKeypair(sealed, "did:plc:bob", 3));
    assertThrows(
        MasterKey.SealedKeyException.class, () -> master.openKeypair(sealed, "did:plc:alice", 2));
    assertThrows(
        MasterKey.SealedKeyException.class, () -> master.openGroupKey(sealed, "did:plc:alice", 3));
  }

  @Test
  void associatedDataCannotBeForgedByShiftingCharactersBetweenFields() {
    assertThat(
        MasterKey.associatedData("group", "did:plc:a#b", 1),
        not(equalTo(MasterKey.associatedData("group", "did:plc:a#", 1))));
    byte[] a = MasterKey.associatedData("keypair", "did:plc:ab", 12);
    byte[] b = MasterKey.associatedData("keypairdid", ":plc:ab", 12);
    assertThat(java.util.Arrays.equals(a, b), equalTo(false));
  }

  @Test
  void aWrongMasterKeyDoesNotOpen() throws Exception {
    KeyMaterial groupKey = KeyGenerators.xchacha20Poly1305();
    byte[] sealed = MasterKey.fromJson(MasterKey.generateJson()).sealGroupKey(groupKey, "g", 1);
    MasterKey other = MasterKey.fromJson(MasterKey.generateJson());
    assertThrows(MasterKey.SealedKeyException.class, () -> other.openGroupKey(sealed, "g", 1));
  }

  @Test
  void keyMaterialNeverPrintsItsBytes() {
    KeyMaterial key = KeyGenerators.xchacha20Poly1305();
    assertThat(key.toString(), not(containsString(key.hex())));
    assertThat(key.toString(), containsString("redacted"));
    assertThat(key.length(), equalTo(32));
  }

  @Test
  void generatesTheDefaultOnceWithOwnerOnlyPermissionsAndReusesIt(@TempDir Path dataDir)
      throws Exception {
    MasterKey first = MasterKeyLoader.createDefault(dataDir);
    Path file = dataDir.resolve("master-key.json");
    String json = Files.readString(file);

    MasterKey second = MasterKeyLoader.find(Optional.empty(), Optional.empty(), dataDir).get();
    MasterKey third = MasterKeyLoader.createDefault(dataDir);

    assertThat(
        PosixFilePermissions.toString(Files.getPosixFilePermissions(file)), equalTo("rw-------"));
    assertThat(Files.readString(file), equalTo(json));
    KeyMaterial seed = KeyGenerators.ed25519().privateSeed();
    assertThat(
        second.openKeypair(first.sealKeypair(seed, "did:plc:a", 1), "did:plc:a", 1), equalTo(seed));
    assertThat(
        third.openKeypair(first.sealKeypair(seed, "did:plc:a", 1), "did:plc:a", 1), equalTo(seed));
  }

  @Test
  void findingNeverWritesAKey(@TempDir Path dataDir) {
    assertThat(
        MasterKeyLoader.find(Optional.empty(), Optional.empty(), dataDir),
        equalTo(Optional.empty()));
    assertThat(Files.exists(dataDir.resolve("master-key.json")), equalTo(false));
  }

  @Test
  void anInlineKeyWinsAndNothingIsWritten(@TempDir Path dataDir) throws Exception {
    String json = MasterKey.generateJson();
    MasterKey inline = MasterKeyLoader.find(Optional.of(json), Optional.empty(), dataDir).get();
    MasterKey same = MasterKey.fromJson(json);

    KeyMaterial seed = KeyGenerators.ed25519().privateSeed();
    assertThat(
        same.openKeypair(inline.sealKeypair(seed, "did:plc:a", 1), "did:plc:a", 1), equalTo(seed));
    assertThat(Files.exists(dataDir.resolve("master-key.json")), equalTo(false));
  }

  @Test
  void anInvalidKeyStopsStartUp(@TempDir Path dataDir) {
    assertThrows(
        IllegalStateException.class,
        () ->
            MasterKeyLoader.find(Optional.of("{\"not\":\"a keyset\"}"), Optional.empty(), dataDir));
  }
}
