/** The handler of the {@code dev.atpkeyserver.alpha.accessLogs.*} lexicon methods. */
package dev.atpkeyserver.server.api.accesslogs;
