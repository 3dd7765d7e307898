package dev.atpkeyserver.xrpc;

/** Query parameters that write themselves; generated {@code Params} records implement it. */
@FunctionalInterface
public interface QueryWritable {

  /** No parameters, for methods that declare none. */
  QueryWritable NONE = out -> {};

  /**
   * Adds every parameter that has a value, in lexicon order.
   *
   * @param out the query being written
   */
  void writeQuery(QueryOut out);
}
