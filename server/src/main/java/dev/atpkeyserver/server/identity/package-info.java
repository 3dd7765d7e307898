/**
 * Which DIDs the keyserver holds keys for: user DIDs from request input are parsed here, did:plc
 * and did:web only.
 */
package dev.atpkeyserver.server.identity;
