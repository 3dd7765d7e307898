package dev.atpkeyserver.server.auth.signature;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256, the hash every atproto signature covers. */
final class Sha256 {

  private Sha256() {}

  static byte[] digest(byte[] message) {
    try {
      // A new instance per call: MessageDigest is not thread-safe, and the lookup is cheap next to
      // a signature check (well under a microsecond).
      return MessageDigest.getInstance("SHA-256").digest(message);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
