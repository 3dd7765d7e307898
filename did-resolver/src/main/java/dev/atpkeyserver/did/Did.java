package dev.atpkeyserver.did;

import java.util.Objects;

/**
 * A DID in atproto syntax: {@code did:<method>:<identifier>}.
 *
 * <p>The rules are those of the atproto syntax package and the interop vectors: {@code did:}, a
 * method of lowercase ASCII letters, {@code :}, then an identifier of {@code [A-Za-z0-9._:%-]} that
 * does not end in {@code :} or {@code %}, where every {@code %} starts a two-hex-digit escape; at
 * most {@value #MAX_LENGTH} characters in all.
 *
 * <p>A did:plc identifier is not held to the PLC directory's 24 base32 characters, as the official
 * {@code @atproto/syntax} does not either: the contract's own examples ({@code did:plc:abc123}) are
 * shorter, and an identifier the directory never issued simply does not resolve.
 *
 * <p>Other methods (did:key, did:example, ...) parse, because they are syntactically valid DIDs;
 * the resolvers refuse them with {@link UnsupportedDidMethodException}.
 *
 * <p>A DID is compared, hashed and printed by its text, which it keeps: callers turn DIDs into text
 * often (SQL parameters, cache keys), so {@link #toString()} costs nothing.
 */
public final class Did {

  /** The longest DID accepted, in characters. */
  public static final int MAX_LENGTH = 2048;

  private static final String PREFIX = "did:";

  private final String text;
  private final String method;
  private final String identifier;

  /**
   * Creates a DID from its parts, which must together form a valid DID.
   *
   * @param method the method, for example {@code plc}
   * @param identifier the method-specific identifier
   * @throws IllegalArgumentException if they do not; use {@link #parse(String)} for input
   */
  public Did(String method, String identifier) {
    this(checkedText(method, identifier), method, identifier);
  }

  private Did(String text, String method, String identifier) {
    this.text = text;
    this.method = method;
    this.identifier = identifier;
  }

  private static String checkedText(String method, String identifier) {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(identifier, "identifier");
    String text = PREFIX + method + ":" + identifier;
    String problem = syntaxProblem(text);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    return text;
  }

  /**
   * Parses and validates a DID.
   *
   * @param text the DID, for example {@code did:plc:ewvi7nxzyoun6zhxrhs64oiz}
   * @return the parsed DID
   * @throws MalformedDidException if the text is not a valid DID (the message does not repeat it)
   */
  public static Did parse(String text) throws MalformedDidException {
    String problem = syntaxProblem(text);
    if (problem != null) {
      throw new MalformedDidException(problem);
    }
    int methodEnd = text.indexOf(':', PREFIX.length());
    return new Did(text, text.substring(PREFIX.length(), methodEnd), text.substring(methodEnd + 1));
  }

  /**
   * Whether {@link #parse(String)} would accept the text.
   *
   * @param text any string, or null
   * @return true for a valid DID
   */
  public static boolean isValidSyntax(String text) {
    return syntaxProblem(text) == null;
  }

  /**
   * The method.
   *
   * @return for example {@code plc}
   */
  public String method() {
    return method;
  }

  /**
   * The method-specific identifier.
   *
   * @return for example {@code ewvi7nxzyoun6zhxrhs64oiz}
   */
  public String identifier() {
    return identifier;
  }

  /**
   * Whether this is a did:plc.
   *
   * @return true for method {@code plc}
   */
  public boolean isPlc() {
    return method.equals("plc");
  }

  /**
   * Whether this is a did:web.
   *
   * @return true for method {@code web}
   */
  public boolean isWeb() {
    return method.equals("web");
  }

  /** Two DIDs are equal when their texts are. */
  @Override
  public boolean equals(Object other) {
    return other instanceof Did did && text.equals(did.text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }

  /** Returns the DID as text, for example {@code did:web:example.com}. */
  @Override
  public String toString() {
    return text;
  }

  /** Returns why the text is not a valid DID, or null if it is one. */
  private static String syntaxProblem(String text) {
    if (text == null) {
      return "DID is missing";
    }
    // Length first, so that a huge input is not scanned.
    if (text.length() > MAX_LENGTH) {
      return "DID is longer than " + MAX_LENGTH + " characters";
    }
    if (!text.startsWith(PREFIX)) {
      return "DID must start with 'did:'";
    }
    int methodEnd = text.indexOf(':', PREFIX.length());
    if (methodEnd < 0) {
      return "DID must have a method and an identifier";
    }
    if (methodEnd == PREFIX.length()) {
      return "DID method is empty";
    }
    for (int i = PREFIX.length(); i < methodEnd; i++) {
      char c = text.charAt(i);
      if (c < 'a' || c > 'z') {
        return "DID method must be lowercase letters";
      }
    }
    String identifier = text.substring(methodEnd + 1);
    if (identifier.isEmpty()) {
      return "DID identifier is empty";
    }
    for (int i = 0; i < identifier.length(); i++) {
      char c = identifier.charAt(i);
      if (!isIdentifierChar(c)) {
        return "DID contains a character that is not allowed";
      }
      if (c == '%'
          && (i + 2 >= identifier.length()
              || !isHexDigit(identifier.charAt(i + 1))
              || !isHexDigit(identifier.charAt(i + 2)))) {
        // Also covers a trailing '%'.
        return "DID has a '%' that is not followed by two hex digits";
      }
    }
    if (identifier.endsWith(":")) {
      return "DID must not end with ':'";
    }
    return null;
  }

  private static boolean isIdentifierChar(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '.'
        || c == '_'
        || c == ':'
        || c == '%'
        || c == '-';
  }

  private static boolean isHexDigit(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }
}
