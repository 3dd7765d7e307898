package dev.atpkeyserver.server.backup;

import java.util.Objects;
import java.util.Optional;

/**
 * What a client put, already checked: the decoded bundle and the metadata exactly as given.
 *
 * @param bundle the encrypted bundle's bytes
 * @param checksum the hex SHA-256 of {@code bundle}, as the client wrote it
 * @param algorithm the AEAD's name
 * @param kdf the key derivation's name, if any
 * @param kdfParams the key derivation's parameters as JSON text, if any
 * @param nonce the AEAD nonce, base64 as given
 * @param salt the key derivation's salt, base64 as given
 */
// The bytes are handed from the request to the database and back, never changed in between.
@SuppressWarnings("ArrayRecordComponent")
public record BackupContent(
    byte[] bundle,
    String checksum,
    String algorithm,
    Optional<String> kdf,
    Optional<String> kdfParams,
    String nonce,
    String salt) {

  public BackupContent {
    Objects.requireNonNull(bundle, "bundle");
    Objects.requireNonNull(checksum, "checksum");
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(kdf, "kdf");
    Objects.requireNonNull(kdfParams, "kdfParams");
    Objects.requireNonNull(nonce, "nonce");
    Objects.requireNonNull(salt, "salt");
  }

  // Ciphertext only, but a log line has no use for 64 KiB of it.
  @Override
  public String toString() {
    return "BackupContent[" + bundle.length + " bytes, algorithm=" + algorithm + "]";
  }
}
