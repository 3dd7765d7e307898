/** Pages for people, served by the keyserver: the account page at {@code /account}. */
package dev.atpkeyserver.server.web;
