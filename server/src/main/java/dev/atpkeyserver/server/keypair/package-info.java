/**
 * Users' Ed25519 keypairs: the service that serves, creates and rotates them in one transaction per
 * user, and the SQL behind it; the versioning they share with group keys is in {@code keys}.
 */
package dev.atpkeyserver.server.keypair;
