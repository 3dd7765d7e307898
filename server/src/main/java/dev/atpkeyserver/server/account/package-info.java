/** Account deletion: the cryptographic erasure of every key a user has or owns. */
package dev.atpkeyserver.server.account;
