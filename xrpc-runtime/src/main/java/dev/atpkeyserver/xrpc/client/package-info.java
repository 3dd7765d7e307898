/**
 * The client side of XRPC that generated typed clients call: {@link
 * dev.atpkeyserver.xrpc.client.XrpcClient} sends a method's records over the JDK's HTTP client and
 * reads its output record back, authenticated with a service auth token per call ({@link
 * dev.atpkeyserver.xrpc.client.ServiceTokenSupplier}) or through the user's PDS with {@code
 * atproto-proxy}; every error answer is one {@link
 * dev.atpkeyserver.xrpc.client.XrpcClientException}.
 *
 * <p>Nothing here knows a particular lexicon method: the generated {@code KeyserverClient} has one
 * method per NSID and passes each call through.
 */
package dev.atpkeyserver.xrpc.client;
