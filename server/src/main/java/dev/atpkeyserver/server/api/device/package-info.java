/**
 * The handlers of the {@code dev.atpkeyserver.alpha.device.*} methods: each turns the generated
 * input into the device package's values (checking what the lexicon cannot say: hex, id syntax) and
 * the service's answer into the generated output.
 */
package dev.atpkeyserver.server.api.device;
