package dev.atpkeyserver.server.account;

import dev.atpkeyserver.did.Did;
import dev.atpkeyserver.server.accesslog.AccessLogRepository;
import dev.atpkeyserver.server.accesslog.AccessLogWriter;
import dev.atpkeyserver.server.audit.AuditLog;
import dev.atpkeyserver.server.audit.AuditRepository;
import dev.atpkeyserver.server.backup.BackupRepository;
import dev.atpkeyserver.server.cache.CacheScope;
import dev.atpkeyserver.server.cache.Invalidations;
import dev.atpkeyserver.server.db.Database;
import dev.atpkeyserver.server.device.DeviceDeletion;
import dev.atpkeyserver.server.device.DeviceService;
import dev.atpkeyserver.server.group.GroupRepository;
import dev.atpkeyserver.server.keypair.KeypairService;
import dev.atpkeyserver.xrpc.ErrorKind;
import dev.atpkeyserver.xrpc.KeyserverException;
import java.util.ArrayList;
import java.util.List;

/**
 * GDPR erasure: deletes every key a user has or owns, in one transaction, then erases the
 * access-log entries that reads overlapping it queued too late for that transaction. Once the keys
 * are gone, whatever was encrypted with them is unreadable wherever its ciphertext survives.
 */
public final class AccountService {

  /** The exact confirmation phrase the contract requires. */
  public static final String CONFIRMATION = "DELETE_ALL_MY_DATA";

  private final Database database;
  private final KeypairService keypairs;
  private final GroupRepository groups;
  private final DeviceService devices;
  private final AccessLogRepository accessLogs;
  private final AccessLogWriter accessLogWriter;
  private final Invalidations invalidations;
  private final BackupRepository backups;
  private final AuditRepository auditEvents;
  private final AuditLog auditLog;

  /**
   * @param invalidations how a deletion clears every instance's key caches
   * @param backups the encrypted backups
   * @param auditEvents the audit log's table
   * @param auditLog the audit log's queue of events of reads
   */
  public AccountService(
      Database database,
      KeypairService keypairs,
      GroupRepository groups,
      DeviceService devices,
      AccessLogRepository accessLogs,
      AccessLogWriter accessLogWriter,
      Invalidations invalidations,
      BackupRepository backups,
      AuditRepository auditEvents,
      AuditLog auditLog) {
    this.invalidations = invalidations;
    this.backups = backups;
    this.auditEvents = auditEvents;
    this.auditLog = auditLog;
    this.database = database;
    this.keypairs = keypairs;
    this.groups = groups;
    this.devices = devices;
    this.accessLogs = accessLogs;
    this.accessLogWriter = accessLogWriter;
  }

  /**
   * Deletes the caller's keypair versions, the groups they own (with every version, membership and
   * wrapped key), their memberships in other groups (with the wrapped keys made for them), their
   * devices with every prekey, their encrypted backups, and the access-log entries and audit events
   * about them, in two steps:
   *
   * <ol>
   *   <li>one transaction deletes all of it, including every entry this instance queued before the
   *       deletion began;
   *   <li>after the commit, entries this instance queued meanwhile are written and erased too.
   * </ol>
   *
   * <p>An entry can still survive when a read obtained a key before the commit but queued its entry
   * only after step 2 (or on another instance, whose queue this one cannot wait for).
   *
   * @throws KeyserverException {@code BAD_REQUEST} unless {@code confirmation} is exactly {@value
   *     #CONFIRMATION}
   */
  public Deletion delete(Did caller, String confirmation) {
    if (!CONFIRMATION.equals(confirmation)) {
      throw new KeyserverException(
          ErrorKind.BAD_REQUEST,
          "Invalid confirmation string (must be exactly \"" + CONFIRMATION + "\")");
    }
    // Step 1. Entries still queued for this user must be written before we erase the log.
    accessLogWriter.flush();
    auditLog.flush();
    // The deletion touches the user's keys, the groups they own and the groups they are a member
    // of: exactly those scopes are dropped from every instance's caches (not everything, which
    // any user could otherwise make every instance do at will).
    Deletion deletion =
        invalidations.write(
            tx -> {
              String callerDid = caller.toString();
              List<CacheScope> touched = new ArrayList<>();
              touched.add(CacheScope.keypair(callerDid));
              groups.groupsOwnedBy(tx, callerDid).forEach(g -> touched.add(CacheScope.group(g)));
              groups.groupsWithMember(tx, callerDid).forEach(g -> touched.add(CacheScope.group(g)));
              long keys = keypairs.deleteAll(tx, caller);
              // Before the groups: counts the copies in them, which go with them.
              long wrappedKeys = groups.deleteWrappedKeysOf(tx, callerDid);
              // @NOTE owned groups go before memberships, so "memberships" counts only the
              // user's memberships in other people's groups, as the contract defines it.
              long ownedGroups = groups.deleteOwnedBy(tx, callerDid);
              long memberships = groups.deleteMemberships(tx, callerDid);
              // Devices hold public keys only and are never cached: no scope to drop.
              DeviceDeletion deviceKeys = devices.deleteAll(tx, caller);
              long logEntries = accessLogs.eraseUser(tx, caller);
              long backupVersions = backups.deleteAll(tx, callerDid);
              long events = auditEvents.eraseUser(tx, caller);
              return new Invalidations.Scoped<>(
                  new Deletion(
                      keys,
                      ownedGroups,
                      memberships,
                      logEntries,
                      deviceKeys.devices(),
                      deviceKeys.preKeys(),
                      backupVersions,
                      wrappedKeys,
                      events),
                  touched);
            });
    // Step 2. @NOTE reads take no lock, so until the commit a read can still obtain the user's key
    // and queue its entry, which the writer (on its own connection) may write after the erase
    // above. No transaction can wait for that; so after the commit, when no read here can obtain
    // the keys any more, write whatever is queued and erase once more. A failure here reaches the
    // caller although the deletion is committed; a retry finds nothing else and erases again.
    accessLogWriter.flush();
    long stragglers = accessLogs.eraseUser(database.execute(), caller);
    // The same for the audit log's events of reads (its events of changes were written in their
    // transactions, so none can arrive late).
    auditLog.flush();
    long lateEvents = auditEvents.eraseUser(database.execute(), caller);
    return new Deletion(
        deletion.keys(),
        deletion.groups(),
        deletion.memberships(),
        deletion.accessLogs() + stragglers,
        deletion.devices(),
        deletion.preKeys(),
        deletion.backups(),
        deletion.wrappedKeys(),
        deletion.auditEvents() + lateEvents);
  }

  /**
   * What an account deletion removed.
   *
   * @param keys keypair versions
   * @param groups groups the user owned
   * @param memberships the user's memberships in other users' groups
   * @param accessLogs entries deleted from the user's own access log
   * @param devices the user's devices, active and revoked
   * @param preKeys their signed, last-resort and unclaimed one-time prekeys
   * @param backups stored versions of the user's encrypted backup
   * @param wrappedKeys wrapped group key copies: in the groups the user owned, and made for the
   *     user in other groups
   * @param auditEvents events deleted from the user's own audit log
   */
  public record Deletion(
      long keys,
      long groups,
      long memberships,
      long accessLogs,
      long devices,
      long preKeys,
      long backups,
      long wrappedKeys,
      long auditEvents) {}
}
