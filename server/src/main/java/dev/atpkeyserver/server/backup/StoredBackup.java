package dev.atpkeyserver.server.backup;

import java.time.Instant;

/**
 * One stored version of a user's backup.
 *
 * @param version its number
 * @param storedAt when it was put
 * @param content what was put
 */
public record StoredBackup(int version, Instant storedAt, BackupContent content) {}
