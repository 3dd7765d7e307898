/**
 * HTTP concerns shared by every route: the client's address behind trusted proxies, and the one
 * error handler that turns every failure into the contract's error body.
 */
package dev.atpkeyserver.server.http;
