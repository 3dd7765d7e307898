package dev.atpkeyserver.server.group;

import dev.atpkeyserver.did.Did;
import dev.atpkeyserver.did.MalformedDidException;
import dev.atpkeyserver.xrpc.ErrorKind;
import dev.atpkeyserver.xrpc.KeyserverException;
import java.util.regex.Pattern;

/**
 * A group identifier, {@code {owner_did}#{group_name}}. The owner is part of the identifier, so
 * nobody can create a group in someone else's name.
 *
 * @param owner the owning user, a did:plc or did:web DID
 * @param name the group's name, 1 to {@value #MAX_NAME_LENGTH} characters of {@code A-Z a-z 0-9 . _
 *     ~ -} (the URL-unreserved set, so ids survive any URL or header unescaped)
 */
public record GroupId(Did owner, String name) {

  /** Longest group name accepted. */
  public static final int MAX_NAME_LENGTH = 100;

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._~-]{1," + MAX_NAME_LENGTH + "}");

  /**
   * Parses a group id from request input.
   *
   * @param field the parameter name, for the error message
   * @throws KeyserverException {@code BAD_REQUEST} when either part is invalid
   */
  public static GroupId parse(String text, String field) {
    int hash = text.indexOf('#');
    if (hash < 0) {
      throw invalid(field, "expected {owner_did}#{group_name}");
    }
    Did owner;
    try {
      owner = Did.parse(text.substring(0, hash));
    } catch (MalformedDidException e) {
      throw invalid(field, "the owner is not a valid DID");
    }
    if (!owner.isPlc() && !owner.isWeb()) {
      throw invalid(field, "the owner must be a did:plc or did:web DID");
    }
    String name = text.substring(hash + 1);
    if (!NAME.matcher(name).matches()) {
      throw invalid(
          field,
          "the group name must be 1 to " + MAX_NAME_LENGTH + " characters of A-Z a-z 0-9 . _ ~ -");
    }
    return new GroupId(owner, name);
  }

  private static KeyserverException invalid(String field, String why) {
    return new KeyserverException(ErrorKind.BAD_REQUEST, "Invalid '" + field + "': " + why);
  }

  /** Whether {@code user} owns this group. */
  public boolean isOwnedBy(Did user) {
    return owner.equals(user);
  }

  @Override
  public String toString() {
    return owner + "#" + name;
  }
}
