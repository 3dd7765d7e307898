package dev.atpkeyserver.server.keys;

import dev.atpkeyserver.server.accesslog.AccessLogEntry;
import dev.atpkeyserver.server.accesslog.AccessLogEntry.KeyType;
import dev.atpkeyserver.server.accesslog.AccessLogWriter;
import dev.atpkeyserver.server.accesslog.Accessor;
import dev.atpkeyserver.server.cache.Invalidations;
import dev.atpkeyserver.server.crypto.MasterKey;
import dev.atpkeyserver.server.db.Database;
import java.util.Optional;

/**
 * What every service of versioned keys is built on, wired once ({@code KeyserverComponents}) and
 * handed to each: the keypair service, the group service, and those to come.
 *
 * @param database reads, and transactions for changes that no cache holds
 * @param invalidations the transactions that change cached key rows, telling every instance
 * @param masterKey seals key material at rest, bound to its row
 * @param accessLogs records every key served
 * @param clock creation, revocation and access times, to the millisecond
 */
public record KeyServiceContext(
    Database database,
    Invalidations invalidations,
    MasterKey masterKey,
    AccessLogWriter accessLogs,
    MillisecondClock clock) {

  /**
   * Records, in {@code ownerDid}'s access log, that {@code accessor} was just served a key.
   *
   * @param groupId the group, for a group key
   * @param version the version actually served
   */
  public void logRead(
      String ownerDid, KeyType keyType, Optional<String> groupId, int version, Accessor accessor) {
    accessLogs.append(
        new AccessLogEntry(ownerDid, keyType, groupId, version, clock.now(), accessor));
  }
}
