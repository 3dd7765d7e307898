package dev.atpkeyserver.server.keypair;

import dev.atpkeyserver.did.Did;
import dev.atpkeyserver.server.accesslog.AccessLogEntry;
import dev.atpkeyserver.server.accesslog.AccessLogEntry.KeyType;
import dev.atpkeyserver.server.accesslog.AccessLogWriter;
import dev.atpkeyserver.server.accesslog.Accessor;
import dev.atpkeyserver.server.cache.CacheScope;
import dev.atpkeyserver.server.cache.Invalidations;
import dev.atpkeyserver.server.cache.KeyCaches;
import dev.atpkeyserver.server.cache.ScopedCache;
import dev.atpkeyserver.server.crypto.KeyGenerators;
import dev.atpkeyserver.server.crypto.KeyGenerators.Ed25519Keypair;
import dev.atpkeyserver.server.crypto.MasterKey;
import dev.atpkeyserver.server.db.Database;
import dev.atpkeyserver.server.keys.KeyVersionInfo;
import dev.atpkeyserver.server.keys.KeyVersions;
import dev.atpkeyserver.server.keys.Rotation;
import dev.atpkeyserver.server.paging.Page;
import dev.atpkeyserver.xrpc.ErrorKind;
import dev.atpkeyserver.xrpc.KeyserverException;
import io.helidon.dbclient.DbExecute;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * Users' Ed25519 keypairs: serving, first-time creation and rotation. Every change runs in one
 * transaction holding the user's owner row lock, so concurrent requests for one user serialise and
 * can never produce a duplicate, missing or second active version. Every key served is logged.
 *
 * <p>Reads go through a cache of keypair rows (public key, sealed private key) that every rotation
 * invalidates through {@link Invalidations}, here and on every other instance.
 */
public final class KeypairService {

  private final Database database;
  private final KeypairRepository keypairs;
  private final AccessLogWriter accessLogs;
  private final MasterKey masterKey;
  private final Clock clock;
  private final ScopedCache<Integer, StoredKeypair> cache;
  private final Invalidations invalidations;

  /**
   * @param cache keypair rows by DID, then version ({@link KeyCaches#ACTIVE} for the active one)
   * @param invalidations how rotations tell every instance's cache
   */
  public KeypairService(
      Database database,
      KeypairRepository keypairs,
      AccessLogWriter accessLogs,
      MasterKey masterKey,
      Clock clock,
      ScopedCache<Integer, StoredKeypair> cache,
      Invalidations invalidations) {
    this.database = database;
    this.keypairs = keypairs;
    this.accessLogs = accessLogs;
    this.masterKey = masterKey;
    this.clock = clock;
    this.cache = cache;
    this.invalidations = invalidations;
  }

  /**
   * Any user's public key: the active version, or the requested one (revoked versions too, so that
   * old ciphertexts stay usable). The read is logged in the user's access log.
   *
   * @throws KeyserverException {@code NOT_FOUND} when the user has no keypair or no such version
   */
  public PublicKeyVersion publicKey(Did user, Optional<Long> version, Accessor accessor) {
    String did = user.toString();
    StoredKeypair stored =
        find(database.execute(), did, version)
            .orElseThrow(() -> notFound(database.execute(), did, version));
    log(stored, accessor);
    return new PublicKeyVersion(did, stored.version(), stored.publicKey());
  }

  /**
   * The caller's own keypair, created as version 1 on the first call.
   *
   * @throws KeyserverException {@code NOT_FOUND} for a version that does not exist
   */
  public Keypair keypair(Did caller, Optional<Long> version, Accessor accessor) {
    String callerDid = caller.toString();
    DbExecute db = database.execute();
    Optional<StoredKeypair> found = find(db, callerDid, version);
    boolean firstCall = version.isEmpty() || version.get() == 1;
    if (found.isEmpty() && firstCall) {
      // Make sure version 1 exists, then look again. Deciding by a separate "has a keypair?" read
      // would race a concurrent first call.
      database.inTransaction(tx -> ensureKeypair(tx, callerDid));
      found = find(db, callerDid, version);
    }
    StoredKeypair stored =
        found.orElseThrow(
            () -> new KeyserverException(ErrorKind.NOT_FOUND, "Key version not found"));
    Keypair keypair =
        new Keypair(
            stored.version(),
            stored.publicKey(),
            masterKey.openKeypair(stored.sealedPrivateKey(), callerDid, stored.version()));
    log(stored, accessor);
    return keypair;
  }

  /**
   * Revokes the caller's active version and creates the next one; a user without a keypair gets
   * version 1 first, so the first rotation goes from 1 to 2.
   *
   * @param reason why, stored with the revoked version
   */
  public Rotation rotate(Did caller, String reason) {
    String callerDid = caller.toString();
    return invalidations.write(
        CacheScope.keypair(callerDid),
        tx -> {
          int oldVersion = ensureKeypair(tx, callerDid);
          // Taken after the lock: a rotation that waited must not predate the one before it.
          Instant now = now();
          int newVersion = oldVersion + 1;
          keypairs.revokeActive(tx, callerDid, now, reason);
          insertNewVersion(tx, callerDid, newVersion, now);
          keypairs.setLatestVersion(tx, callerDid, newVersion);
          return new Rotation(oldVersion, newVersion, now);
        });
  }

  /**
   * The versions of the caller's keypair, newest first (empty for a user without one): all of them,
   * or a page of {@code limit}, starting below {@code before} when given.
   *
   * @throws KeyserverException {@code BAD_REQUEST} for a limit outside 1..{@value Page#MAX_LIMIT}
   */
  public Page<KeyVersionInfo, Integer> versions(
      Did caller, Optional<Long> limit, Optional<Integer> before) {
    return keypairs.versions(
        database.execute(), caller.toString(), before, Page.checkedLimit(limit));
  }

  /**
   * Locks the user's owner row, creating the user with version 1 if needed.
   *
   * @return the newest version number
   */
  private int ensureKeypair(DbExecute tx, String did) {
    Optional<Integer> latest = keypairs.lockOwner(tx, did);
    if (latest.isPresent()) {
      return latest.get();
    }
    Instant now = now();
    if (keypairs.insertOwner(tx, did, now)) {
      insertNewVersion(tx, did, 1, now);
      return 1;
    }
    // @NOTE another request created the user between our lock attempt and insert; its
    // transaction has committed (the insert waited for it), so the row is there to lock now.
    return keypairs
        .lockOwner(tx, did)
        .orElseThrow(() -> new IllegalStateException("keypair owner row vanished"));
  }

  private void insertNewVersion(DbExecute tx, String did, int version, Instant now) {
    Ed25519Keypair generated = KeyGenerators.ed25519();
    byte[] sealed = masterKey.sealKeypair(generated.privateSeed(), did, version);
    keypairs.insertActiveVersion(tx, did, version, generated.publicKey(), sealed, now);
  }

  private Optional<StoredKeypair> find(DbExecute db, String did, Optional<Long> version) {
    if (version.isEmpty()) {
      return cache.get(did, KeyCaches.ACTIVE, () -> keypairs.active(db, did));
    }
    return KeyVersions.stored(version.get())
        .flatMap(v -> cache.get(did, v, () -> keypairs.atVersion(db, did, v)));
  }

  private KeyserverException notFound(DbExecute db, String did, Optional<Long> version) {
    return version.isPresent() && keypairs.hasKeypair(db, did)
        ? new KeyserverException(ErrorKind.NOT_FOUND, "Key version not found")
        : new KeyserverException(ErrorKind.NOT_FOUND, "User not found");
  }

  private void log(StoredKeypair served, Accessor accessor) {
    accessLogs.append(
        new AccessLogEntry(
            served.did(), KeyType.KEYPAIR, Optional.empty(), served.version(), now(), accessor));
  }

  /** Millisecond precision: what we store is exactly what the API later reports. */
  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }

  /** Deletes all of a user's keypair versions; part of account deletion's transaction. */
  public long deleteAll(DbExecute tx, Did user) {
    return keypairs.deleteAll(tx, user.toString());
  }
}
