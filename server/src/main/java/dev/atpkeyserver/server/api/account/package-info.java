/** The handler of the {@code dev.atpkeyserver.alpha.account.*} lexicon methods. */
package dev.atpkeyserver.server.api.account;
