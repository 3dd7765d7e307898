package dev.atpkeyserver.xrpc;

/**
 * A Lexicon primitive type (string, integer, boolean): it can appear both as a query parameter and
 * in a JSON body.
 *
 * @param <T> the Java type of the value
 */
public interface ScalarType<T> extends ParamType<T>, FieldType<T> {}
