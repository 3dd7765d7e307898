package dev.atpkeyserver.server.device;

import dev.atpkeyserver.did.Did;
import dev.atpkeyserver.server.accesslog.AccessLogEntry;
import dev.atpkeyserver.server.accesslog.AccessLogWriter;
import dev.atpkeyserver.server.accesslog.Accessor;
import dev.atpkeyserver.server.db.Database;
import dev.atpkeyserver.server.device.DeviceRepository.ActiveDevice;
import dev.atpkeyserver.server.device.DeviceRepository.ClaimableDevice;
import dev.atpkeyserver.server.device.DeviceRepository.Kind;
import dev.atpkeyserver.server.keys.MillisecondClock;
import dev.atpkeyserver.xrpc.ErrorKind;
import dev.atpkeyserver.xrpc.KeyserverException;
import io.helidon.dbclient.DbExecute;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Users' devices and the end-to-end keys clients generate for them: registration, prekey uploads,
 * claims, listing and revocation. The keyserver stores public keys and signatures only and checks
 * every signature against the device's identity key; nothing here touches the master key.
 *
 * <p>Everything that changes a user's devices runs in one transaction holding the user's owner row
 * lock, so the bounds ({@value #MAX_ACTIVE_DEVICES} active devices per user, {@value
 * #MAX_STORED_ONE_TIME_PRE_KEYS} unclaimed one-time prekeys per device) and "one active device per
 * id" hold under any concurrency. A claim takes no such lock: it is one short transaction that
 * locks and erases one one-time prekey per device, so no prekey is ever handed out twice, on one
 * instance or several on one database.
 */
public final class DeviceService {

  /** Active devices one user may have; registering one more is a 409. */
  public static final int MAX_ACTIVE_DEVICES = 10;

  /** Unclaimed one-time prekeys one device may store; an upload past it is a 409. */
  public static final int MAX_STORED_ONE_TIME_PRE_KEYS = 1000;

  /** Revoked devices kept per user for {@code device.list}; older ones are deleted. */
  public static final int MAX_REVOKED_DEVICES_KEPT = 100;

  /** Longest revocation reason, in characters (code points). */
  public static final int MAX_REASON_LENGTH = 256;

  private final Database database;
  private final DeviceRepository devices;
  private final AccessLogWriter accessLogs;
  private final MillisecondClock clock;

  /**
   * @param clock the time stored with keys and devices, as the API reports it
   */
  public DeviceService(
      Database database,
      DeviceRepository devices,
      AccessLogWriter accessLogs,
      MillisecondClock clock) {
    this.database = database;
    this.devices = devices;
    this.accessLogs = accessLogs;
    this.clock = clock;
  }

  /**
   * Registers one of the caller's devices with its keys.
   *
   * @throws KeyserverException {@code BAD_REQUEST} for a bad name, duplicate one-time key ids or a
   *     signature the identity key did not make; {@code CONFLICT} when the caller already has an
   *     active device with this id, or {@value #MAX_ACTIVE_DEVICES} active devices
   */
  public RegisteredDevice register(Did caller, Registration registration) {
    String callerDid = caller.toString();
    registration.name().ifPresent(DeviceService::checkName);
    checkDistinct(registration.oneTimePreKeys());
    checkSignature(registration.signedPreKey(), registration.identityKey(), "signedPreKey");
    registration
        .lastResortKey()
        .ifPresent(key -> checkSignature(key, registration.identityKey(), "lastResortKey"));
    return database.inTransaction(
        tx -> {
          ensureOwner(tx, callerDid);
          // Taken after the lock, so registrations of one user are ordered as they committed.
          Instant now = now();
          if (devices.activeDevice(tx, callerDid, registration.deviceId()).isPresent()) {
            throw new KeyserverException(
                ErrorKind.CONFLICT,
                "Device already registered: revoke it before registering it again");
          }
          if (devices.activeDeviceCount(tx, callerDid) >= MAX_ACTIVE_DEVICES) {
            throw new KeyserverException(
                ErrorKind.CONFLICT,
                "Too many active devices (at most " + MAX_ACTIVE_DEVICES + "): revoke one first");
          }
          long pk =
              devices.insertDevice(
                  tx,
                  callerDid,
                  registration.deviceId(),
                  registration.name(),
                  registration.identityKey(),
                  now);
          devices.replaceSigned(tx, pk, Kind.SIGNED, registration.signedPreKey(), now);
          registration
              .lastResortKey()
              .ifPresent(key -> devices.replaceSigned(tx, pk, Kind.LAST_RESORT, key, now));
          devices.insertOneTime(tx, pk, registration.oneTimePreKeys(), now);
          return new RegisteredDevice(
              registration.deviceId(),
              registration.identityKey().fingerprint(),
              registration.oneTimePreKeys().size(),
              now);
        });
  }

  /**
   * Adds one-time prekeys to one of the caller's active devices, and replaces its signed prekey or
   * last-resort key.
   *
   * @throws KeyserverException {@code NOT_FOUND} when the caller has no such active device; {@code
   *     BAD_REQUEST} for duplicate or already used key ids and signatures the device's identity key
   *     did not make; {@code CONFLICT} when the device would store more than {@value
   *     #MAX_STORED_ONE_TIME_PRE_KEYS} unclaimed one-time prekeys
   */
  public PreKeyState upload(Did caller, PreKeyUpload upload) {
    String callerDid = caller.toString();
    checkDistinct(upload.oneTimePreKeys());
    return database.inTransaction(
        tx -> {
          ActiveDevice device =
              lockedActiveDevice(tx, callerDid, upload.deviceId())
                  .orElseThrow(DeviceService::deviceNotFound);
          Instant now = now();
          upload
              .signedPreKey()
              .ifPresent(key -> checkSignature(key, device.identityKey(), "signedPreKey"));
          upload
              .lastResortKey()
              .ifPresent(key -> checkSignature(key, device.identityKey(), "lastResortKey"));
          upload
              .signedPreKey()
              .ifPresent(key -> checkUnused(tx, device, Kind.SIGNED, key, "signedPreKey"));
          upload
              .lastResortKey()
              .ifPresent(key -> checkUnused(tx, device, Kind.LAST_RESORT, key, "lastResortKey"));
          checkUnused(tx, device, upload.oneTimePreKeys());
          int stored = devices.unclaimedCount(tx, device.pk());
          if (stored + upload.oneTimePreKeys().size() > MAX_STORED_ONE_TIME_PRE_KEYS) {
            throw new KeyserverException(
                ErrorKind.CONFLICT,
                "Too many one-time prekeys: a device stores at most "
                    + MAX_STORED_ONE_TIME_PRE_KEYS
                    + " unclaimed, and this one has "
                    + stored);
          }
          upload
              .signedPreKey()
              .ifPresent(
                  key -> {
                    devices.replaceSigned(tx, device.pk(), Kind.SIGNED, key, now);
                    devices.setRotated(tx, device.pk(), now);
                  });
          upload
              .lastResortKey()
              .ifPresent(key -> devices.replaceSigned(tx, device.pk(), Kind.LAST_RESORT, key, now));
          devices.insertOneTime(tx, device.pk(), upload.oneTimePreKeys(), now);
          return new PreKeyState(
              upload.deviceId(),
              devices
                  .activeSignedKeyId(tx, device.pk(), Kind.SIGNED)
                  .orElseThrow(() -> new IllegalStateException("active device without signed key")),
              stored + upload.oneTimePreKeys().size(),
              devices.activeSignedKeyId(tx, device.pk(), Kind.LAST_RESORT));
        });
  }

  /**
   * A bundle for each active device of {@code owner} (or the one named), each consuming one
   * one-time prekey; a device with none left gets its last-resort key instead. Every bundle is
   * recorded in the owner's access log, naming {@code claimer}, once the claim has committed.
   *
   * @throws KeyserverException {@code NOT_FOUND} when the owner has no active device (of that id)
   */
  public List<Bundle> claim(Did owner, Optional<DeviceId> only, Accessor claimer) {
    String ownerDid = owner.toString();
    Instant now = now();
    List<ClaimedBundle> claimed =
        database.inTransaction(
            tx -> {
              List<ClaimableDevice> claimable = devices.claimable(tx, ownerDid, only);
              if (claimable.isEmpty()) {
                throw only.isPresent()
                    ? deviceNotFound()
                    : new KeyserverException(ErrorKind.NOT_FOUND, "No active devices");
              }
              List<ClaimedBundle> bundles = new ArrayList<>(claimable.size());
              for (ClaimableDevice device : claimable) {
                Optional<OneTimePreKey> oneTime = devices.claimOneTime(tx, device.pk(), now);
                int remaining = Math.max(0, device.unclaimed() - (oneTime.isPresent() ? 1 : 0));
                bundles.add(
                    new ClaimedBundle(
                        new Bundle(
                            device.deviceId(),
                            device.identityKey(),
                            device.signedPreKey(),
                            oneTime,
                            oneTime.isPresent() ? Optional.empty() : device.lastResortKey(),
                            remaining),
                        device.signedPreKeyVersion()));
              }
              return bundles;
            });
    // @NOTE queued, not written in the claim's transaction: a claim stays one short transaction,
    // and the writer's guarantees (nothing dropped, written before getLogs reads) are the same as
    // for key reads.
    for (ClaimedBundle bundle : claimed) {
      accessLogs.append(
          AccessLogEntry.claimedBundle(
              ownerDid,
              bundle.bundle().deviceId().value(),
              bundle.signedPreKeyVersion(),
              now,
              claimer));
    }
    return claimed.stream().map(ClaimedBundle::bundle).toList();
  }

  /**
   * The owner's active devices (and revoked ones when asked), for any caller; names and prekey
   * counts only when the caller is the owner. Empty for a user without devices.
   */
  public List<DeviceInfo> list(Did caller, Did owner, boolean includeRevoked) {
    List<DeviceInfo> listed = devices.list(database.execute(), owner.toString(), includeRevoked);
    if (owner.equals(caller)) {
      return listed;
    }
    return listed.stream().map(DeviceInfo::forOthers).toList();
  }

  /**
   * Revokes one of the caller's active devices, irreversibly: its prekeys are deleted and it is
   * never in a bundle again; its id may be registered anew. Of the caller's revoked devices the
   * {@value #MAX_REVOKED_DEVICES_KEPT} most recent are kept for {@code device.list}.
   *
   * @throws KeyserverException {@code BAD_REQUEST} for a reason over {@value #MAX_REASON_LENGTH}
   *     characters or with control characters; {@code NOT_FOUND} when the caller has no such active
   *     device
   */
  public Revocation revoke(Did caller, DeviceId deviceId, String reason) {
    checkReason(reason);
    String callerDid = caller.toString();
    return database.inTransaction(
        tx -> {
          ActiveDevice device =
              lockedActiveDevice(tx, callerDid, deviceId)
                  .orElseThrow(DeviceService::deviceNotFound);
          Instant now = now();
          devices.revoke(tx, device.pk(), now, reason);
          devices.pruneRevoked(tx, callerDid, MAX_REVOKED_DEVICES_KEPT);
          return new Revocation(deviceId, now, reason);
        });
  }

  /**
   * Deletes all of a user's devices and prekeys; part of account deletion's transaction. Takes the
   * owner lock, so it waits for a registration, upload or revocation in flight.
   */
  public DeviceDeletion deleteAll(DbExecute tx, Did user) {
    String did = user.toString();
    if (!devices.lockOwner(tx, did)) {
      return new DeviceDeletion(0, 0);
    }
    return devices.deleteAll(tx, did);
  }

  /** Locks the user's owner row, creating it first if the user never registered a device. */
  private void ensureOwner(DbExecute tx, String did) {
    if (devices.lockOwner(tx, did) || devices.insertOwner(tx, did, now())) {
      return;
    }
    // @NOTE another request created the owner between our lock attempt and insert; its
    // transaction has committed (the insert waited for it), so the row is there to lock now.
    if (!devices.lockOwner(tx, did)) {
      throw new IllegalStateException("device owner row vanished");
    }
  }

  /** The caller's active device with this id, under the caller's owner lock. */
  private Optional<ActiveDevice> lockedActiveDevice(DbExecute tx, String did, DeviceId deviceId) {
    if (!devices.lockOwner(tx, did)) {
      return Optional.empty();
    }
    return devices.activeDevice(tx, did, deviceId);
  }

  private static void checkSignature(SignedPreKey key, PublicBytes identityKey, String field) {
    if (!key.isSignedBy(identityKey)) {
      throw new KeyserverException(
          ErrorKind.BAD_REQUEST,
          "Invalid signature in '"
              + field
              + "': not the identity key's Ed25519 signature over its public key");
    }
  }

  /** One-time prekeys of one request must have distinct key ids. */
  private static void checkDistinct(List<OneTimePreKey> keys) {
    Set<KeyId> seen = new HashSet<>();
    for (int i = 0; i < keys.size(); i++) {
      if (!seen.add(keys.get(i).keyId())) {
        throw new KeyserverException(
            ErrorKind.BAD_REQUEST,
            "Duplicate key id in 'oneTimePreKeys[" + i + "].keyId': key ids must be distinct");
      }
    }
  }

  private void checkUnused(
      DbExecute tx, ActiveDevice device, Kind kind, SignedPreKey key, String field) {
    if (devices.signedKeyIdUsed(tx, device.pk(), kind, key.keyId())) {
      throw new KeyserverException(
          ErrorKind.BAD_REQUEST, "Key id in '" + field + ".keyId' was already used on this device");
    }
  }

  private void checkUnused(DbExecute tx, ActiveDevice device, List<OneTimePreKey> keys) {
    List<KeyId> ids = keys.stream().map(OneTimePreKey::keyId).toList();
    Set<String> used = new HashSet<>(devices.usedOneTimeKeyIds(tx, device.pk(), ids));
    for (int i = 0; i < ids.size(); i++) {
      if (used.contains(ids.get(i).value())) {
        throw new KeyserverException(
            ErrorKind.BAD_REQUEST,
            "Key id in 'oneTimePreKeys["
                + i
                + "].keyId' was already used on this device (stored or claimed)");
      }
    }
  }

  /** A device name: no control characters (the lexicon bounds its length). */
  private static void checkName(String name) {
    if (name.codePoints().anyMatch(Character::isISOControl)) {
      throw new KeyserverException(
          ErrorKind.BAD_REQUEST, "Invalid field 'deviceName': must not contain control characters");
    }
  }

  private static void checkReason(String reason) {
    if (reason.codePointCount(0, reason.length()) > MAX_REASON_LENGTH
        || reason.codePoints().anyMatch(Character::isISOControl)) {
      throw new KeyserverException(
          ErrorKind.BAD_REQUEST,
          "Invalid field 'reason': must be 1 to "
              + MAX_REASON_LENGTH
              + " characters, without control characters");
    }
  }

  private static KeyserverException deviceNotFound() {
    return new KeyserverException(ErrorKind.NOT_FOUND, "Device not found");
  }

  private Instant now() {
    return clock.now();
  }

  /** A bundle with the signed prekey version its access-log entry records. */
  private record ClaimedBundle(Bundle bundle, int signedPreKeyVersion) {}
}
