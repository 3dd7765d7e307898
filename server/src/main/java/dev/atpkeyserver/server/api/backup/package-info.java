/** Handlers of {@code dev.atpkeyserver.alpha.backup.*}: encrypted key backups. */
package dev.atpkeyserver.server.api.backup;
