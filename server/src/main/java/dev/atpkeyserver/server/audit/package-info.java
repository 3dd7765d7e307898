/**
 * The audit log: one event per operation on a user's keys, groups, devices or backups, in that
 * user's log. {@code AuditLog} writes events of changes in their transaction and queues events of
 * reads; {@code AuditService} lists them; {@code AuditRetention} purges old ones.
 */
package dev.atpkeyserver.server.audit;
