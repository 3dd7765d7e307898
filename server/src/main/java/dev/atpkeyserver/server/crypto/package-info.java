/**
 * Key material: generating user keypairs and group keys with Tink, and the master key that seals
 * every secret at rest, bound to the row it belongs to.
 */
package dev.atpkeyserver.server.crypto;
