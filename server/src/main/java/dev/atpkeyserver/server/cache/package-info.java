/**
 * Caches of key rows, scoped by user or group so a write drops exactly what it may have made stale,
 * and kept coherent across instances through PostgreSQL {@code LISTEN}/{@code NOTIFY}.
 */
package dev.atpkeyserver.server.cache;
