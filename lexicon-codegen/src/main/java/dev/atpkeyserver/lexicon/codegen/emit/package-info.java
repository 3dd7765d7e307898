/**
 * Emitters that turn the lexicon model into Java source text (after ozone's {@code
 * generator/builder} and lex-cli's {@code server.ts}): records for objects, parameters, inputs and
 * outputs, a handler interface per method, and the {@code XrpcHandlers} / {@code XrpcRoutes} pair
 * that wires every method into Helidon.
 *
 * <p>Output is deterministic: files, methods and nested records are sorted, properties keep their
 * lexicon order.
 */
package dev.atpkeyserver.lexicon.codegen.emit;
