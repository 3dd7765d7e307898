package dev.atpkeyserver.server.accesslog;

import java.time.Instant;

/**
 * Where an entry sits in a log listed newest first: by {@code accessed_at}, ties broken by the
 * row's id. Both are stored and never change, so a page that starts after a position neither
 * repeats nor skips an entry that existed when the previous page was read.
 *
 * @param accessedAt the entry's {@code accessed_at}, exactly as stored
 * @param id the entry's row id
 */
public record LogPosition(Instant accessedAt, long id) {}
