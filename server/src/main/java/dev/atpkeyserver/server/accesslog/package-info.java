/**
 * The access log: who read which key and when, written in batches off the request path, listed by
 * page, and purged after the retention period.
 */
package dev.atpkeyserver.server.accesslog;
