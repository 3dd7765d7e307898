/**
 * The contract's rate limits: per-address and per-DID budgets in fixed windows, the filter and
 * authenticator wrapper that charge them, and the {@code X-RateLimit-*} headers they report.
 */
package dev.atpkeyserver.server.ratelimit;
