/**
 * The database: a pooled Helidon DbClient over H2 or PostgreSQL, its Flyway migrations, and the
 * column conversions that differ between the two drivers.
 */
package dev.atpkeyserver.server.db;
