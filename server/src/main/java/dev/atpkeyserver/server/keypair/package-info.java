/**
 * Users' Ed25519 keypairs: the service that serves, creates and rotates them in one transaction per
 * user, the SQL behind it, and the key-version records shared with group keys.
 */
package dev.atpkeyserver.server.keypair;
