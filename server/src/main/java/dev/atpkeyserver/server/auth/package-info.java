/**
 * Service auth: which XRPC methods need a token ({@link
 * dev.atpkeyserver.server.auth.XrpcAuthPolicy}), verifying ATProto service JWTs against the
 * issuer's DID document, and remembering tokens that passed until they expire.
 */
package dev.atpkeyserver.server.auth;
