package dev.atpkeyserver.server.keys;

import io.helidon.dbclient.DbExecute;
import java.time.Instant;
import java.util.Optional;

/**
 * The lifecycle every versioned key shares: created with version 1, then rotated by revoking the
 * active version and making the next one active. Every step runs in the caller's transaction under
 * the key's head row lock, so concurrent creations and rotations of one key serialise on that row
 * (across processes too) and versions stay contiguous, never duplicated or missing, with exactly
 * one active.
 *
 * @param <K> how the key is named (a user's DID, a group id)
 */
public final class KeyVersioning<K> {

  private final VersionedKeyStore<K> store;
  private final NewKeyVersion<K> newVersion;
  private final MillisecondClock clock;

  /**
   * @param store the key kind's rows
   * @param newVersion makes and stores the material of each new version
   * @param clock creation and revocation times
   */
  public KeyVersioning(
      VersionedKeyStore<K> store, NewKeyVersion<K> newVersion, MillisecondClock clock) {
    this.store = store;
    this.newVersion = newVersion;
    this.clock = clock;
  }

  /**
   * Locks an existing key's head row until the transaction ends.
   *
   * @return empty when the key does not exist
   */
  public Optional<LockedHead<K>> lock(DbExecute tx, K key) {
    Optional<Integer> latest = store.lockHead(tx, key);
    return latest.isPresent() ? Optional.of(new LockedHead<>(key, latest.get())) : Optional.empty();
  }

  /** Locks the key's head row, creating the key with version 1 first when it does not exist. */
  public LockedHead<K> lockOrCreate(DbExecute tx, K key) {
    Optional<LockedHead<K>> locked = lockOrCreateFirst(tx, key);
    if (locked.isPresent()) {
      return locked.get();
    }
    // @NOTE another transaction created the key between our lock attempt and our insert; the
    // insert waited for it to commit, so the row is there to lock now.
    return lock(tx, key)
        .orElseThrow(() -> new IllegalStateException("Head row vanished after its creation"));
  }

  /**
   * Creates the key with version 1 unless it exists (whose head row is then locked) or a concurrent
   * transaction creates it first (whose row is then left unlocked).
   */
  public void createIfAbsent(DbExecute tx, K key) {
    lockOrCreateFirst(tx, key);
  }

  /**
   * Revokes the active version and makes the next one active, in the transaction that locked {@code
   * head}.
   *
   * @param reason why, stored with the revoked version
   */
  public Rotation rotate(DbExecute tx, LockedHead<K> head, String reason) {
    // Taken after the lock: a rotation that waited must not predate the one before it.
    Instant now = clock.now();
    K key = head.key();
    int next = head.latestVersion() + 1;
    store.revokeActive(tx, key, now, reason);
    newVersion.insertActive(tx, key, next, now);
    store.setLatestVersion(tx, key, next);
    return new Rotation(head.latestVersion(), next, now);
  }

  /** The locked head, or a new key at version 1; empty when a concurrent creation won. */
  private Optional<LockedHead<K>> lockOrCreateFirst(DbExecute tx, K key) {
    Optional<LockedHead<K>> locked = lock(tx, key);
    if (locked.isPresent()) {
      return locked;
    }
    Instant now = clock.now();
    if (!store.insertHead(tx, key, now)) {
      return Optional.empty();
    }
    newVersion.insertActive(tx, key, 1, now);
    return Optional.of(new LockedHead<>(key, 1));
  }
}
