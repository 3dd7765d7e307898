/**
 * Resolves did:plc and did:web DIDs to DID documents and extracts the atproto signing key, with the
 * behaviour of the official {@code @atproto/identity} resolver.
 *
 * <p>Typical wiring:
 *
 * <pre>{@code
 * DidResolver resolver =
 *     new CachingDidResolver(MethodDispatchingResolver.create(ResolverOptions.defaults()));
 * DidDocument doc = resolver.resolve(Did.parse(iss));
 * AtprotoSigningKey key = doc.atprotoSigningKey().orElseThrow(...);
 * }</pre>
 *
 * <p>Failures are checked {@link dev.atpkeyserver.did.DidResolutionException} subclasses, one per
 * cause: {@link dev.atpkeyserver.did.MalformedDidException}, {@link
 * dev.atpkeyserver.did.UnsupportedDidMethodException}, {@link
 * dev.atpkeyserver.did.UnsupportedDidWebPathException}, {@link
 * dev.atpkeyserver.did.DidNotFoundException}, {@link
 * dev.atpkeyserver.did.MalformedDidDocumentException}, {@link
 * dev.atpkeyserver.did.DidHostUnavailableException} and {@link
 * dev.atpkeyserver.did.ForbiddenDidHostException}. Their messages are safe to return to a client.
 *
 * <p>Plain Java: JDK {@code HttpClient}, JSON-P and BouncyCastle (never registered globally).
 */
package dev.atpkeyserver.did;
