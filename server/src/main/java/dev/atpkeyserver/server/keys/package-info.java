/**
 * Versioned keys: what every key kept in numbered versions shares, whoever it belongs to (a user's
 * keypair, a group's key) — version numbers and their lifecycle, creation and rotation under the
 * key's head row lock, and the statements over its tables.
 */
package dev.atpkeyserver.server.keys;
