/**
 * Watching the running server: health and readiness checks, Prometheus metrics, and the one-line
 * request log with its request id. Everything on the request path here is lock-free and allocates a
 * handful of small objects per request.
 */
package dev.atpkeyserver.server.observe;
