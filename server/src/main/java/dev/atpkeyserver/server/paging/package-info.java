/**
 * The value a keyset-paginated listing returns: one page and the position the next one starts
 * after.
 */
package dev.atpkeyserver.server.paging;
