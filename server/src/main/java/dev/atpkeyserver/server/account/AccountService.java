package dev.atpkeyserver.server.account;

import dev.atpkeyserver.did.Did;
import dev.atpkeyserver.server.accesslog.AccessLogRepository;
import dev.atpkeyserver.server.accesslog.AccessLogWriter;
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

  /**
   * @param invalidations how a deletion clears every instance's key caches
   */
  public AccountService(
      Database database,
      KeypairService keypairs,
      GroupRepository groups,
      DeviceService devices,
      AccessLogRepository accessLogs,
      AccessLogWriter accessLogWriter,
      Invalidations invalidations) {
    this.invalidations = invalidations;
    this.database = database;
    this.keypairs = keypairs;
    this.groups = groups;
    this.devices = devices;
    this.accessLogs = accessLogs;
    this.accessLogWriter = accessLogWriter;
  }

  /**
   * Deletes the caller's keypair versions, the groups they own (with every version and membership),
   * their memberships in other groups, their devices with every prekey, and the access-log entries
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
              // @NOTE owned groups go before memberships, so "memberships" counts only the
              // user's memberships in other people's groups, as the contract defines it.
              long ownedGroups = groups.deleteOwnedBy(tx, callerDid);
              long memberships = groups.deleteMemberships(tx, callerDid);
              // Devices hold public keys only and are never cached: no scope to drop.
              DeviceDeletion deviceKeys = devices.deleteAll(tx, caller);
              long logEntries = accessLogs.eraseUser(tx, caller);
              return new Invalidations.Scoped<>(
                  new Deletion(
                      keys,
                      ownedGroups,
                      memberships,
                      logEntries,
                      deviceKeys.devices(),
                      deviceKeys.preKeys()),
                  touched);
            });
    // Step 2. @NOTE reads take no lock, so until the commit a read can still obtain the user's key
    // and queue its entry, which the writer (on its own connection) may write after the erase
    // above. No transaction can wait for that; so after the commit, when no read here can obtain
    // the keys any more, write whatever is queued and erase once more. A failure here reaches the
    // caller although the deletion is committed; a retry finds nothing else and erases again.
    accessLogWriter.flush();
    long stragglers = accessLogs.eraseUser(database.execute(), caller);
    return new Deletion(
        deletion.keys(),
        deletion.groups(),
        deletion.memberships(),
        deletion.accessLogs() + stragglers,
        deletion.devices(),
        deletion.preKeys());
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
   */
  public record Deletion(
      long keys, long groups, long memberships, long accessLogs, long devices, long preKeys) {}
}
