package dev.atpkeyserver.server.identity;

import dev.atpkeyserver.did.Did;
import dev.atpkeyserver.did.MalformedDidException;
import dev.atpkeyserver.xrpc.ErrorKind;
import dev.atpkeyserver.xrpc.KeyserverException;

/** The DIDs this keyserver holds keys for: did:plc and did:web users, nothing else. */
public final class UserDids {

  private UserDids() {}

  /**
   * Parses a user DID from request input.
   *
   * @param value the submitted text
   * @param field the parameter or field name, for the error message
   * @throws KeyserverException {@code BAD_REQUEST} for a malformed DID or another DID method
   */
  public static Did parse(String value, String field) {
    Did did;
    try {
      did = Did.parse(value);
    } catch (MalformedDidException e) {
      throw new KeyserverException(ErrorKind.BAD_REQUEST, "Invalid DID format in '" + field + "'");
    }
    if (!did.isPlc() && !did.isWeb()) {
      throw new KeyserverException(
          ErrorKind.BAD_REQUEST,
          "Unsupported DID method in '" + field + "': must be did:plc or did:web");
    }
    return did;
  }
}
