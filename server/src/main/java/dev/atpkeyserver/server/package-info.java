/**
 * The keyserver application: start-up, configuration of the object graph in one place ({@link
 * dev.atpkeyserver.server.KeyserverComponents}), and the running server ({@link
 * dev.atpkeyserver.server.Keyserver}).
 */
package dev.atpkeyserver.server;
