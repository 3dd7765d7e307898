/**
 * The handlers of the {@code dev.atpkeyserver.alpha.group.*} lexicon methods: thin adapters from
 * generated request records to {@link dev.atpkeyserver.server.group.GroupService}.
 */
package dev.atpkeyserver.server.api.group;
