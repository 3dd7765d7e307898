package dev.atpkeyserver.xrpc;

/**
 * Where a value came from, which decides the wording of error messages: "Invalid parameter 'limit':
 * ..." for the query string, "Invalid field 'reason': ..." for the JSON body.
 */
enum Where {
  PARAMETER("parameter"),
  FIELD("field");

  private final String noun;

  Where(String noun) {
    this.noun = noun;
  }

  /** A missing required value. */
  KeyserverException missing(String name) {
    return new KeyserverException(
        ErrorKind.BAD_REQUEST, "Missing required " + noun + " '" + name + "'");
  }

  /** A value that breaks a rule; {@code rule} says what it must be, never what it was. */
  KeyserverException invalid(String name, String rule) {
    return new KeyserverException(
        ErrorKind.BAD_REQUEST, "Invalid " + noun + " '" + name + "': " + rule);
  }

  /** A string that does not have its declared format. */
  static KeyserverException badFormat(String name, StringFormat format) {
    return new KeyserverException(
        ErrorKind.BAD_REQUEST, "Invalid " + format.label() + " format in '" + name + "'");
  }
}
