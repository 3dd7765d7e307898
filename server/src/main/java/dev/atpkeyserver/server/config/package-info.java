/**
 * The keyserver's settings: where they are read from, their defaults, and the checks that run once
 * at start-up before any component sees a value.
 */
package dev.atpkeyserver.server.config;
