/**
 * ECDSA signature checks for service auth tokens, one backend per curve: libsecp256k1 (native,
 * through JNI) for ES256K when it loads, BouncyCastle otherwise, and the fastest measured verifier
 * for ES256. {@link dev.atpkeyserver.server.auth.signature.SignatureBackends} chooses them once per
 * process and says which; every backend answers alike on every input (64-byte r‖s only, r and s in
 * [1, n-1], high-S accepted).
 */
package dev.atpkeyserver.server.auth.signature;
