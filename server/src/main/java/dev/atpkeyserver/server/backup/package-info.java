/**
 * Users' encrypted key backups: bundles clients encrypt with a password-derived key, which the
 * keyserver stores, versions and hands back without being able to read them. {@code BackupService}
 * is the transaction boundary, the checks and the contract errors; {@code BackupRepository} the
 * SQL.
 */
package dev.atpkeyserver.server.backup;
