package dev.atpkeyserver.server.keypair;

import dev.atpkeyserver.did.Did;
import dev.atpkeyserver.server.accesslog.AccessLogEntry.KeyType;
import dev.atpkeyserver.server.accesslog.Accessor;
import dev.atpkeyserver.server.cache.CacheScope;
import dev.atpkeyserver.server.cache.Invalidations;
import dev.atpkeyserver.server.cache.KeyCaches;
import dev.atpkeyserver.server.cache.ScopedCache;
import dev.atpkeyserver.server.crypto.KeyGenerators;
import dev.atpkeyserver.server.crypto.KeyGenerators.Ed25519Keypair;
import dev.atpkeyserver.server.keys.KeyServiceContext;
import dev.atpkeyserver.server.keys.KeyVersionInfo;
import dev.atpkeyserver.server.keys.KeyVersioning;
import dev.atpkeyserver.server.keys.KeyVersions;
import dev.atpkeyserver.server.keys.Rotation;
import dev.atpkeyserver.server.paging.Page;
import dev.atpkeyserver.xrpc.ErrorKind;
import dev.atpkeyserver.xrpc.KeyserverException;
import io.helidon.dbclient.DbExecute;
import java.time.Instant;
import java.util.Optional;

/**
 * Users' Ed25519 keypairs: serving, first-time creation and rotation. Every change runs in one
 * transaction holding the user's owner row lock ({@link KeyVersioning}), so concurrent requests for
 * one user serialise and can never produce a duplicate, missing or second active version. Every key
 * served is logged.
 *
 * <p>Reads go through a cache of keypair rows (public key, sealed private key) that every rotation
 * invalidates through {@link Invalidations}, here and on every other instance.
 */
public final class KeypairService {

  private final KeyServiceContext context;
  private final KeypairRepository keypairs;
  private final ScopedCache<Integer, StoredKeypair> cache;
  private final KeyVersioning<String> versions;

  /**
   * @param context what every key service is built on
   * @param keypairs the keypair tables
   * @param cache keypair rows by DID, then version ({@link KeyCaches#ACTIVE} for the active one)
   */
  public KeypairService(
      KeyServiceContext context,
      KeypairRepository keypairs,
      ScopedCache<Integer, StoredKeypair> cache) {
    this.context = context;
    this.keypairs = keypairs;
    this.cache = cache;
    this.versions = new KeyVersioning<>(keypairs, this::insertNewVersion, context.clock());
  }

  /**
   * Any user's public key: the active version, or the requested one (revoked versions too, so that
   * old ciphertexts stay usable). The read is logged in the user's access log.
   *
   * @throws KeyserverException {@code NOT_FOUND} when the user has no keypair or no such version
   */
  public PublicKeyVersion publicKey(Did user, Optional<Long> version, Accessor accessor) {
    String did = user.toString();
    DbExecute db = context.database().execute();
    StoredKeypair stored = find(db, did, version).orElseThrow(() -> notFound(db, did, version));
    log(stored, accessor);
    return new PublicKeyVersion(did, stored.version(), stored.publicKey());
  }

  /**
   * The caller's own keypair, created as version 1 on the first call.
   *
   * @throws KeyserverException {@code NOT_FOUND} for a version that does not exist
   */
  public Keypair keypair(Did caller, Optional<Long> version, Accessor accessor) {
    String did = caller.toString();
    DbExecute db = context.database().execute();
    Optional<StoredKeypair> found = find(db, did, version);
    boolean firstCall = version.isEmpty() || version.get() == 1;
    if (found.isEmpty() && firstCall) {
      // Make sure version 1 exists, then look again. Deciding by a separate "has a keypair?" read
      // would race a concurrent first call.
      context.database().inTransaction(tx -> versions.lockOrCreate(tx, did));
      found = find(db, did, version);
    }
    StoredKeypair stored = found.orElseThrow(KeyVersions::notFound);
    Keypair keypair =
        new Keypair(
            stored.version(),
            stored.publicKey(),
            context.masterKey().openKeypair(stored.sealedPrivateKey(), did, stored.version()));
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
    String did = caller.toString();
    return context
        .invalidations()
        .write(
            CacheScope.keypair(did),
            tx -> versions.rotate(tx, versions.lockOrCreate(tx, did), reason));
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
        context.database().execute(), caller.toString(), before, Page.checkedLimit(limit));
  }

  /** Deletes all of a user's keypair versions; part of account deletion's transaction. */
  public long deleteAll(DbExecute tx, Did user) {
    return keypairs.deleteAll(tx, user.toString());
  }

  /** A fresh Ed25519 keypair as version {@code version}, its seed sealed for (did, version). */
  private void insertNewVersion(DbExecute tx, String did, int version, Instant createdAt) {
    Ed25519Keypair generated = KeyGenerators.ed25519();
    byte[] sealed = context.masterKey().sealKeypair(generated.privateSeed(), did, version);
    keypairs.insertActiveVersion(tx, did, version, generated.publicKey(), sealed, createdAt);
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
        ? KeyVersions.notFound()
        : new KeyserverException(ErrorKind.NOT_FOUND, "User not found");
  }

  private void log(StoredKeypair served, Accessor accessor) {
    context.logRead(served.did(), KeyType.KEYPAIR, Optional.empty(), served.version(), accessor);
  }
}
