/**
 * The hand-written runtime that code generated from the lexicons calls: the error type and the one
 * writer of error bodies, a small JSON writer, request authentication hooks, and the parsing and
 * validation of query parameters and JSON bodies against Lexicon rules; for clients, {@link
 * dev.atpkeyserver.xrpc.QueryOut} writes query strings (the transport is in {@code
 * dev.atpkeyserver.xrpc.client}).
 *
 * <p>Nothing here knows a particular lexicon method; that knowledge lives in the generated classes
 * ({@code dev.atpkeyserver.lexicon.*}), which describe each field with a {@link
 * dev.atpkeyserver.xrpc.StringRule}, {@link dev.atpkeyserver.xrpc.IntegerRule} or {@link
 * dev.atpkeyserver.xrpc.BooleanRule} and read it with {@link dev.atpkeyserver.xrpc.QueryParams} or
 * {@link dev.atpkeyserver.xrpc.JsonFields}.
 *
 * <p>Every validation failure is a {@link dev.atpkeyserver.xrpc.KeyserverException} whose message
 * names the field and the rule it broke, and never repeats the submitted value: the message goes
 * back to the client and into logs.
 */
package dev.atpkeyserver.xrpc;
