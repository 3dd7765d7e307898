/**
 * Who is on the other end of a connection: the client's IP address, read through the configured
 * trusted proxies, and the address blocks those proxies are given as. It depends on no other
 * package of the server, so the access log, authentication, rate limits and configuration can all
 * use it.
 */
package dev.atpkeyserver.server.net;
