package dev.atpkeyserver.server.device;

import dev.atpkeyserver.server.db.Rows;
import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbRow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * SQL for {@code device_owners}, {@code devices}, {@code device_signed_prekeys} and {@code
 * device_one_time_prekeys}. Methods that change a user's devices expect a transaction holding the
 * user's owner row lock ({@link #lockOwner}); claims hold none and lock only the one-time prekeys
 * they take.
 */
public final class DeviceRepository {

  /** The two kinds of signed prekey, as stored in {@code device_signed_prekeys.kind}. */
  enum Kind {
    SIGNED("signed"),
    LAST_RESORT("last_resort");

    private final String stored;

    Kind(String stored) {
      this.stored = stored;
    }
  }

  private static final String LOCK_OWNER = "SELECT did FROM device_owners WHERE did = ? FOR UPDATE";
  // No conflict target: the portable form on PostgreSQL and H2 (the primary key is the only
  // constraint that can conflict).
  private static final String INSERT_OWNER =
      "INSERT INTO device_owners (did, created_at) VALUES (?, ?) ON CONFLICT DO NOTHING";
  private static final String COUNT_ACTIVE =
      "SELECT COUNT(*) AS n FROM devices WHERE owner_did = ? AND revoked_generation = 0";
  private static final String ACTIVE_DEVICE =
      """
      SELECT id, identity_key FROM devices
      WHERE owner_did = ? AND revoked_generation = 0 AND device_id = ?
      """;
  private static final String INSERT_DEVICE =
      """
      INSERT INTO devices (owner_did, device_id, device_name, identity_key, registered_at)
      VALUES (?, ?, ?, ?, ?)
      """;
  private static final String INSERT_SIGNED =
      """
      INSERT INTO device_signed_prekeys
        (device_pk, kind, key_id, version, public_key, signature, active, created_at)
      VALUES (?, ?, ?, ?, ?, ?, TRUE, ?)
      """;
  private static final String SIGNED_KEY_ID_USED =
      "SELECT key_id FROM device_signed_prekeys WHERE device_pk = ? AND kind = ? AND key_id = ?";
  private static final String LATEST_SIGNED_VERSION =
      "SELECT MAX(version) AS v FROM device_signed_prekeys WHERE device_pk = ? AND kind = ?";
  private static final String RETIRE_SIGNED =
      """
      UPDATE device_signed_prekeys SET active = NULL, replaced_at = ?
      WHERE device_pk = ? AND kind = ? AND active = TRUE
      """;
  private static final String ACTIVE_SIGNED_ID =
      """
      SELECT key_id FROM device_signed_prekeys WHERE device_pk = ? AND kind = ? AND active = TRUE
      """;
  private static final String SET_ROTATED = "UPDATE devices SET last_rotated_at = ? WHERE id = ?";
  private static final String ONE_TIME_IDS_USED =
      "SELECT key_id FROM device_one_time_prekeys WHERE device_pk = ? AND key_id IN (";
  private static final String INSERT_ONE_TIME =
      "INSERT INTO device_one_time_prekeys (device_pk, key_id, public_key, uploaded_at) VALUES";
  private static final String COUNT_UNCLAIMED =
      """
      SELECT COUNT(*) AS n FROM device_one_time_prekeys WHERE device_pk = ? AND claimed_at IS NULL
      """;
  // The owner's active devices with their active signed prekey, their active last-resort key (if
  // any) and how many one-time prekeys they have unclaimed, in one statement.
  private static final String CLAIMABLE =
      """
      SELECT d.id, d.device_id, d.identity_key,
             s.key_id AS s_key_id, s.version AS s_version, s.public_key AS s_public_key,
             s.signature AS s_signature,
             l.key_id AS l_key_id, l.public_key AS l_public_key, l.signature AS l_signature,
             (SELECT COUNT(*) FROM device_one_time_prekeys o
              WHERE o.device_pk = d.id AND o.claimed_at IS NULL) AS unclaimed
      FROM devices d
      JOIN device_signed_prekeys s ON s.device_pk = d.id AND s.kind = 'signed' AND s.active = TRUE
      LEFT JOIN device_signed_prekeys l
        ON l.device_pk = d.id AND l.kind = 'last_resort' AND l.active = TRUE
      WHERE d.owner_did = ? AND d.revoked_generation = 0
      """;
  private static final String ONLY_DEVICE = " AND d.device_id = ?";
  private static final String BY_DEVICE_ID = " ORDER BY d.device_id";
  // @NOTE SKIP LOCKED: concurrent claims for one device each take a different key instead of
  // queueing behind one another's row lock; a key being taken by a claim that has not committed
  // yet is simply passed over (and a device whose last unclaimed key is in flight gets its
  // last-resort key, as if it had run out a moment earlier).
  // "ORDER BY claimed_at, id" orders as "ORDER BY id" (claimed_at is NULL in every row it keeps)
  // but names the index device_one_time_prekeys_unclaimed's own order: ordered by id alone,
  // PostgreSQL walked the primary key filtering for the device (11 ms at 1,000,000 prekeys, not
  // 0.1 ms).
  private static final String PICK_ONE_TIME =
      """
      SELECT id, key_id, public_key FROM device_one_time_prekeys
      WHERE device_pk = ? AND claimed_at IS NULL
      ORDER BY claimed_at, id LIMIT 1 FOR UPDATE SKIP LOCKED
      """;
  // "AND claimed_at IS NULL" re-checks under the row lock: a key is marked claimed exactly once
  // whatever the database's locking reads do.
  private static final String MARK_CLAIMED =
      """
      UPDATE device_one_time_prekeys SET public_key = NULL, claimed_at = ?
      WHERE id = ? AND claimed_at IS NULL
      """;
  private static final String LIST =
      """
      SELECT d.id, d.device_id, d.device_name, d.identity_key, d.registered_at, d.last_rotated_at,
             d.revoked_at, d.revoke_reason,
             (SELECT COUNT(*) FROM device_one_time_prekeys o
              WHERE o.device_pk = d.id AND o.claimed_at IS NULL) AS unclaimed
      FROM devices d WHERE d.owner_did = ?
      """;
  private static final String ACTIVE_ONLY = " AND d.revoked_generation = 0";
  private static final String ACTIVE_FIRST_THEN_REGISTRATION =
      " ORDER BY CASE WHEN d.revoked_generation = 0 THEN 0 ELSE 1 END, d.id";
  private static final String REVOKE =
      """
      UPDATE devices SET revoked_generation = id, revoked_at = ?, revoke_reason = ?
      WHERE id = ? AND revoked_generation = 0
      """;
  private static final String DELETE_SIGNED_OF =
      "DELETE FROM device_signed_prekeys WHERE device_pk = ?";
  private static final String DELETE_ONE_TIME_OF =
      "DELETE FROM device_one_time_prekeys WHERE device_pk = ?";
  private static final String REVOKED_BEYOND =
      """
      SELECT id FROM devices WHERE owner_did = ? AND revoked_generation <> 0
      ORDER BY revoked_at DESC, id DESC LIMIT ? OFFSET ?
      """;
  private static final String DELETE_DEVICE = "DELETE FROM devices WHERE id = ?";
  private static final String COUNT_DEVICES =
      "SELECT COUNT(*) AS n FROM devices WHERE owner_did = ?";
  private static final String COUNT_SIGNED_OF_OWNER =
      """
      SELECT COUNT(*) AS n FROM device_signed_prekeys s JOIN devices d ON d.id = s.device_pk
      WHERE d.owner_did = ?
      """;
  private static final String COUNT_UNCLAIMED_OF_OWNER =
      """
      SELECT COUNT(*) AS n FROM device_one_time_prekeys o JOIN devices d ON d.id = o.device_pk
      WHERE d.owner_did = ? AND o.claimed_at IS NULL
      """;
  // Devices and their prekeys go with the owner row (ON DELETE CASCADE).
  private static final String DELETE_OWNER = "DELETE FROM device_owners WHERE did = ?";

  /**
   * Locks the user's owner row until the transaction ends.
   *
   * @return whether the user has one (has ever registered a device)
   */
  boolean lockOwner(DbExecute tx, String did) {
    return tx.get(LOCK_OWNER, did).isPresent();
  }

  /**
   * Creates the user's owner row; once this returns true the transaction holds its lock.
   *
   * @return false when another transaction created it first (this call then waited for it)
   */
  boolean insertOwner(DbExecute tx, String did, Instant now) {
    return tx.insert(INSERT_OWNER, did, Rows.param(now)) == 1;
  }

  /** How many active devices the user has. */
  int activeDeviceCount(DbExecute tx, String did) {
    return tx.get(COUNT_ACTIVE, did).map(row -> Rows.integer(row, "n")).orElse(0);
  }

  /** The user's active device with this id. */
  Optional<ActiveDevice> activeDevice(DbExecute tx, String did, DeviceId deviceId) {
    return tx.get(ACTIVE_DEVICE, did, deviceId.value())
        .map(
            row ->
                new ActiveDevice(
                    Rows.longValue(row, "id"),
                    PublicBytes.of(row.column("identity_key").get(byte[].class))));
  }

  /**
   * Stores a new active device. The caller holds the owner lock and has checked that no active
   * device has this id.
   *
   * @return its row id
   */
  long insertDevice(
      DbExecute tx,
      String did,
      DeviceId deviceId,
      Optional<String> name,
      PublicBytes identityKey,
      Instant now) {
    tx.insert(
        INSERT_DEVICE,
        did,
        deviceId.value(),
        name.orElse(null),
        identityKey.bytes(),
        Rows.param(now));
    return activeDevice(tx, did, deviceId)
        .orElseThrow(() -> new IllegalStateException("inserted device not found"))
        .pk();
  }

  /** Whether the device ever had a key of this kind with this id. */
  boolean signedKeyIdUsed(DbExecute tx, long devicePk, Kind kind, KeyId keyId) {
    return tx.get(SIGNED_KEY_ID_USED, devicePk, kind.stored, keyId.value()).isPresent();
  }

  /**
   * Makes {@code key} the device's active key of its kind, retiring the previous one.
   *
   * @return the new key's version: 1 for the device's first of its kind, then one more each time
   */
  int replaceSigned(DbExecute tx, long devicePk, Kind kind, SignedPreKey key, Instant now) {
    int version =
        tx.get(LATEST_SIGNED_VERSION, devicePk, kind.stored)
                .flatMap(row -> Optional.ofNullable(row.column("v").get(Number.class)))
                .map(Number::intValue)
                .orElse(0)
            + 1;
    tx.update(RETIRE_SIGNED, Rows.param(now), devicePk, kind.stored);
    tx.insert(
        INSERT_SIGNED,
        devicePk,
        kind.stored,
        key.keyId().value(),
        version,
        key.publicKey().bytes(),
        key.signature().bytes(),
        Rows.param(now));
    return version;
  }

  /** The id of the device's active key of this kind. */
  Optional<KeyId> activeSignedKeyId(DbExecute tx, long devicePk, Kind kind) {
    return tx.get(ACTIVE_SIGNED_ID, devicePk, kind.stored)
        .map(row -> new KeyId(row.column("key_id").getString()));
  }

  /** Records that the device's signed prekey was replaced. */
  void setRotated(DbExecute tx, long devicePk, Instant now) {
    tx.update(SET_ROTATED, Rows.param(now), devicePk);
  }

  /** Which of {@code keyIds} the device ever used for a one-time prekey, stored or claimed. */
  List<String> usedOneTimeKeyIds(DbExecute tx, long devicePk, List<KeyId> keyIds) {
    if (keyIds.isEmpty()) {
      return List.of();
    }
    List<Object> params = new ArrayList<>(keyIds.size() + 1);
    params.add(devicePk);
    keyIds.forEach(id -> params.add(id.value()));
    return tx.createQuery(ONE_TIME_IDS_USED + "?, ".repeat(keyIds.size() - 1) + "?)")
        .params(params)
        .execute()
        .map(row -> row.column("key_id").getString())
        .toList();
  }

  /** Stores one-time prekeys, in one statement (at most 100 rows, the lexicon's bound). */
  void insertOneTime(DbExecute tx, long devicePk, List<OneTimePreKey> keys, Instant now) {
    if (keys.isEmpty()) {
      return;
    }
    List<Object> params = new ArrayList<>(keys.size() * 4);
    for (OneTimePreKey key : keys) {
      params.add(devicePk);
      params.add(key.keyId().value());
      params.add(key.publicKey().bytes());
      params.add(Rows.param(now));
    }
    tx.createInsert(INSERT_ONE_TIME + " (?, ?, ?, ?),".repeat(keys.size() - 1) + " (?, ?, ?, ?)")
        .params(params)
        .execute();
  }

  /** How many one-time prekeys the device has unclaimed. */
  int unclaimedCount(DbExecute tx, long devicePk) {
    return tx.get(COUNT_UNCLAIMED, devicePk).map(row -> Rows.integer(row, "n")).orElse(0);
  }

  /** The owner's active devices (or the one named), with the keys a bundle carries, by id. */
  List<ClaimableDevice> claimable(DbExecute tx, String ownerDid, Optional<DeviceId> only) {
    List<Object> params = new ArrayList<>(2);
    params.add(ownerDid);
    only.ifPresent(id -> params.add(id.value()));
    return tx.createQuery(CLAIMABLE + (only.isPresent() ? ONLY_DEVICE : "") + BY_DEVICE_ID)
        .params(params)
        .execute()
        .map(DeviceRepository::claimableFromRow)
        .toList();
  }

  /**
   * Takes the device's oldest unclaimed one-time prekey: locks it, erases its public key and marks
   * it claimed. No other transaction, here or on another instance, can take the same key.
   *
   * @return the key, or empty when the device has none left (or none that is not being taken)
   */
  Optional<OneTimePreKey> claimOneTime(DbExecute tx, long devicePk, Instant now) {
    while (true) {
      Optional<DbRow> picked = tx.get(PICK_ONE_TIME, devicePk);
      if (picked.isEmpty()) {
        return Optional.empty();
      }
      DbRow row = picked.get();
      long id = Rows.longValue(row, "id");
      if (tx.update(MARK_CLAIMED, Rows.param(now), id) == 1) {
        return Optional.of(
            new OneTimePreKey(
                new KeyId(row.column("key_id").getString()),
                PublicBytes.of(row.column("public_key").get(byte[].class))));
      }
      // Claimed by a transaction that committed between our read and our lock: no longer
      // unclaimed, so the next pick cannot return it again.
    }
  }

  /** The owner's devices, active ones first, each group in registration order. */
  List<DeviceInfo> list(DbExecute db, String ownerDid, boolean includeRevoked) {
    String sql = LIST + (includeRevoked ? "" : ACTIVE_ONLY) + ACTIVE_FIRST_THEN_REGISTRATION;
    return db.query(sql, ownerDid).map(DeviceRepository::infoFromRow).toList();
  }

  /**
   * Revokes an active device and deletes all its prekeys; its row stays, with its identity key, for
   * {@code device.list}.
   */
  void revoke(DbExecute tx, long devicePk, Instant now, String reason) {
    if (tx.update(REVOKE, Rows.param(now), reason, devicePk) != 1) {
      throw new IllegalStateException("device to revoke is not active");
    }
    tx.delete(DELETE_SIGNED_OF, devicePk);
    tx.delete(DELETE_ONE_TIME_OF, devicePk);
  }

  /**
   * Deletes the owner's revoked devices beyond the {@code keep} most recently revoked.
   *
   * @return how many were deleted
   */
  int pruneRevoked(DbExecute tx, String ownerDid, int keep) {
    // One revocation adds one revoked device, so at most one is ever beyond the bound; the limit
    // only keeps the statement bounded should the bound ever be lowered.
    List<Long> beyond =
        tx.query(REVOKED_BEYOND, ownerDid, 1000, keep)
            .map(row -> Rows.longValue(row, "id"))
            .toList();
    for (long id : beyond) {
      tx.delete(DELETE_DEVICE, id);
    }
    return beyond.size();
  }

  /**
   * Deletes the user's devices with every prekey (account deletion). The caller holds the owner
   * lock.
   *
   * @return what was deleted
   */
  DeviceDeletion deleteAll(DbExecute tx, String did) {
    long devices = count(tx, COUNT_DEVICES, did);
    long preKeys = count(tx, COUNT_SIGNED_OF_OWNER, did) + count(tx, COUNT_UNCLAIMED_OF_OWNER, did);
    tx.delete(DELETE_OWNER, did);
    return new DeviceDeletion(devices, preKeys);
  }

  private static long count(DbExecute tx, String sql, String did) {
    return tx.get(sql, did).map(row -> Rows.longValue(row, "n")).orElse(0L);
  }

  private static ClaimableDevice claimableFromRow(DbRow row) {
    Optional<String> lastResortId = Rows.optionalString(row, "l_key_id");
    return new ClaimableDevice(
        Rows.longValue(row, "id"),
        new DeviceId(row.column("device_id").getString()),
        PublicBytes.of(row.column("identity_key").get(byte[].class)),
        new SignedPreKey(
            new KeyId(row.column("s_key_id").getString()),
            PublicBytes.of(row.column("s_public_key").get(byte[].class)),
            PublicBytes.of(row.column("s_signature").get(byte[].class))),
        Rows.integer(row, "s_version"),
        lastResortId.map(
            id ->
                new SignedPreKey(
                    new KeyId(id),
                    PublicBytes.of(row.column("l_public_key").get(byte[].class)),
                    PublicBytes.of(row.column("l_signature").get(byte[].class)))),
        Rows.integer(row, "unclaimed"));
  }

  private static DeviceInfo infoFromRow(DbRow row) {
    return new DeviceInfo(
        new DeviceId(row.column("device_id").getString()),
        PublicBytes.of(row.column("identity_key").get(byte[].class)),
        Rows.instant(row, "registered_at"),
        Rows.optionalInstant(row, "last_rotated_at"),
        Rows.optionalInstant(row, "revoked_at"),
        Rows.optionalString(row, "revoke_reason"),
        Rows.optionalString(row, "device_name"),
        Optional.of(Rows.integer(row, "unclaimed")));
  }

  /**
   * One of a user's active devices, as uploads need it.
   *
   * @param pk its row id
   * @param identityKey its identity key, which must have signed any new signed prekey
   */
  record ActiveDevice(long pk, PublicBytes identityKey) {}

  /**
   * An active device with the keys a bundle carries.
   *
   * @param pk its row id
   * @param deviceId its id
   * @param identityKey its identity key
   * @param signedPreKey its active signed prekey
   * @param signedPreKeyVersion that key's version (the access log records it)
   * @param lastResortKey its active last-resort key, if any
   * @param unclaimed its unclaimed one-time prekeys before this claim
   */
  record ClaimableDevice(
      long pk,
      DeviceId deviceId,
      PublicBytes identityKey,
      SignedPreKey signedPreKey,
      int signedPreKeyVersion,
      Optional<SignedPreKey> lastResortKey,
      int unclaimed) {}
}
