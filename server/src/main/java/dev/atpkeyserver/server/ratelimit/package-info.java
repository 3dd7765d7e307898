/**
 * The contract's rate limits: per-address and per-DID budgets in fixed windows, charged through one
 * entry point ({@link dev.atpkeyserver.server.ratelimit.RateLimits}) that also writes the {@code
 * X-RateLimit-*} headers.
 */
package dev.atpkeyserver.server.ratelimit;
