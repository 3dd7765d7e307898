/**
 * The HTTP surface outside the lexicon handlers: {@code GET /}, the did:web document, pagination
 * cursors and the key-version views that handlers share.
 */
package dev.atpkeyserver.server.api;
