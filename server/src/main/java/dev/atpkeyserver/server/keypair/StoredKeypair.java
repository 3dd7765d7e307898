package dev.atpkeyserver.server.keypair;

/**
 * A keypair version as stored: the public key in clear, the private seed sealed.
 *
 * @param did the user
 * @param version the version
 * @param publicKey the 32-byte Ed25519 public key
 * @param sealedPrivateKey the private seed sealed by the master key for (did, version)
 */
// Identity equality of the array component is harmless: a row read once, never compared or hashed.
@SuppressWarnings("ArrayRecordComponent")
public record StoredKeypair(String did, int version, byte[] publicKey, byte[] sealedPrivateKey) {

  @Override
  public String toString() {
    // The sealed seed is ciphertext, but there is no reason to print it anywhere.
    return "StoredKeypair[did=" + did + ", version=" + version + "]";
  }
}
