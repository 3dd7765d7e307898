package dev.atpkeyserver.server.crypto;

import java.security.GeneralSecurityException;

/**
 * Prints a new master key (a Tink JSON keyset) to standard output, for operators who want to create
 * it themselves rather than let the server generate one in its data directory.
 */
public final class MasterKeyTool {

  private MasterKeyTool() {}

  /** Writes a fresh keyset to standard output. */
  public static void main(String[] args) throws GeneralSecurityException {
    System.out.println(MasterKey.generateJson());
  }
}
