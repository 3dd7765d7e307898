/**
 * The handlers of the {@code dev.atpkeyserver.alpha.keypair.*} lexicon methods: thin adapters from
 * generated request records to {@link dev.atpkeyserver.server.keypair.KeypairService}.
 */
package dev.atpkeyserver.server.api.keypair;
