/**
 * The one error handler that turns every failure, from every layer, into the contract's error body.
 */
package dev.atpkeyserver.server.http;
