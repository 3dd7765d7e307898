package dev.atpkeyserver.xrpc;

/**
 * Reads one query parameter value of a given Lexicon type.
 *
 * @param <T> the Java type of the value
 */
@FunctionalInterface
public interface ParamType<T> {

  /**
   * Parses and validates one raw (already percent-decoded) query parameter value.
   *
   * @param raw the value as sent
   * @param name the parameter name, for error messages
   * @return the value
   * @throws KeyserverException {@link ErrorKind#BAD_REQUEST} if the value breaks a rule
   */
  T fromQuery(String raw, String name);
}
