package dev.atpkeyserver.xrpc;

/** A value that writes itself as JSON; generated records implement it. */
@FunctionalInterface
public interface JsonWritable {

  /**
   * Writes this value as exactly one JSON value.
   *
   * @param out the writer, positioned where a value may be written
   */
  void writeJson(JsonOut out);
}
