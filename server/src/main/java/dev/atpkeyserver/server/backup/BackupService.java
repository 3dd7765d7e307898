package dev.atpkeyserver.server.backup;

import dev.atpkeyserver.did.Did;
import dev.atpkeyserver.server.accesslog.Accessor;
import dev.atpkeyserver.server.audit.AuditAction;
import dev.atpkeyserver.server.audit.AuditEvent;
import dev.atpkeyserver.server.audit.AuditLog;
import dev.atpkeyserver.server.audit.AuditSubject;
import dev.atpkeyserver.server.backup.BackupRepository.BackupVersion;
import dev.atpkeyserver.server.db.Database;
import dev.atpkeyserver.server.keys.MillisecondClock;
import dev.atpkeyserver.xrpc.ErrorKind;
import dev.atpkeyserver.xrpc.KeyserverException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Users' encrypted key backups: each put stores a new version, the newest {@value #KEPT} are kept.
 * The keyserver never holds the key that opens a backup; it checks only what it can check without
 * it (encoding, sizes, the checksum) and hands back exactly what was put.
 *
 * <p>Every put runs in one transaction holding the user's head row lock, so concurrent puts of one
 * user serialise: version numbers are contiguous and never reused, and of two puts naming the same
 * {@code expectedVersion} exactly one succeeds.
 *
 * <p>Not built on {@code server.keys.KeyVersioning}: a backup has no active or revoked versions, no
 * rotation reason and no key generated here (the content comes from the client), versions are
 * pruned and deleted, and a put may be refused for a stale expected version. It keeps that
 * package's locking discipline (a head row per user, locked with {@code SELECT ... FOR UPDATE},
 * created with {@code INSERT ... ON CONFLICT DO NOTHING}).
 */
public final class BackupService {

  /** How many versions are kept per user. */
  public static final int KEPT = 10;

  /** The largest decoded bundle. */
  public static final int MAX_BUNDLE_BYTES = 64 * 1024;

  /** The largest {@code kdfParams}, as UTF-8 JSON. */
  public static final int MAX_KDF_PARAMS_BYTES = 1024;

  /** The largest decoded nonce or salt. */
  public static final int MAX_NONCE_OR_SALT_BYTES = 64;

  private static final Pattern HEX_SHA256 = Pattern.compile("[0-9a-fA-F]{64}");
  private static final Base64.Decoder BASE64 = Base64.getDecoder();
  private static final Base64.Encoder BASE64_OUT = Base64.getEncoder();

  private final Database database;
  private final BackupRepository backups;
  private final MillisecondClock clock;
  private final AuditLog audit;

  /**
   * @param database where backups are stored
   * @param backups the backup tables
   * @param clock when versions are stored
   * @param audit the owner's audit log: every put, read and deletion
   */
  public BackupService(
      Database database, BackupRepository backups, MillisecondClock clock, AuditLog audit) {
    this.database = database;
    this.backups = backups;
    this.clock = clock;
    this.audit = audit;
  }

  /**
   * Checks what a client put, before anything is stored.
   *
   * @param kdfParams the {@code kdfParams} object as JSON text, if given
   * @throws KeyserverException {@code BAD_REQUEST} naming the first field that is wrong
   */
  public static BackupContent checked(
      String encryptedBundle,
      String checksum,
      String algorithm,
      Optional<String> kdf,
      Optional<String> kdfParams,
      String nonce,
      String salt) {
    byte[] bundle = base64(encryptedBundle, "encryptedBundle");
    if (bundle.length > MAX_BUNDLE_BYTES) {
      throw invalid("encryptedBundle", "must be at most " + MAX_BUNDLE_BYTES + " bytes decoded");
    }
    if (!HEX_SHA256.matcher(checksum).matches()) {
      throw invalid("checksum", "must be 64 hex digits (SHA-256)");
    }
    if (!HexFormat.of().formatHex(sha256(bundle)).equalsIgnoreCase(checksum)) {
      throw new KeyserverException(
          ErrorKind.BAD_REQUEST,
          "Checksum mismatch: 'checksum' is not the SHA-256 of the decoded encryptedBundle");
    }
    int nonceBytes = base64(nonce, "encryptionMetadata.nonce").length;
    if (nonceBytes < 1 || nonceBytes > MAX_NONCE_OR_SALT_BYTES) {
      throw invalid(
          "encryptionMetadata.nonce", "must be 1 to " + MAX_NONCE_OR_SALT_BYTES + " bytes decoded");
    }
    if (base64(salt, "encryptionMetadata.salt").length > MAX_NONCE_OR_SALT_BYTES) {
      throw invalid(
          "encryptionMetadata.salt",
          "must be at most " + MAX_NONCE_OR_SALT_BYTES + " bytes decoded");
    }
    if (kdfParams.isPresent()
        && kdfParams.get().getBytes(StandardCharsets.UTF_8).length > MAX_KDF_PARAMS_BYTES) {
      throw invalid(
          "encryptionMetadata.kdfParams",
          "must be at most " + MAX_KDF_PARAMS_BYTES + " bytes as JSON");
    }
    return new BackupContent(bundle, checksum, algorithm, kdf, kdfParams, nonce, salt);
  }

  /** Standard base64 with padding, in the one form that encodes back to the same text. */
  public static String encode(byte[] bytes) {
    return BASE64_OUT.encodeToString(bytes);
  }

  /**
   * Stores {@code content} as the caller's next version and drops versions beyond the newest
   * {@value #KEPT}.
   *
   * @param expectedVersion the version the caller believes is current (0: none)
   * @throws KeyserverException {@code CONFLICT} when {@code expectedVersion} is not the current one
   */
  public StoredBackup put(
      Did caller, BackupContent content, Optional<Long> expectedVersion, Accessor accessor) {
    String owner = caller.toString();
    return database.inTransaction(
        tx -> {
          int latest = backups.lockOrCreateHead(tx, owner);
          int current = backups.currentVersion(tx, owner);
          if (expectedVersion.isPresent() && expectedVersion.get() != current) {
            throw new KeyserverException(
                ErrorKind.CONFLICT,
                "Backup version conflict: the current version is "
                    + current
                    + ", not "
                    + expectedVersion.get());
          }
          // Taken under the lock: a put that waited is never dated before the one it waited for.
          Instant now = clock.now();
          StoredBackup stored = new StoredBackup(latest + 1, now, content);
          backups.insert(tx, owner, stored);
          backups.setLatestVersion(tx, owner, stored.version());
          backups.deleteUpTo(tx, owner, stored.version() - KEPT);
          audit.recordIn(
              tx,
              AuditEvent.of(
                  caller,
                  current == 0 ? AuditAction.BACKUP_CREATED : AuditAction.BACKUP_UPDATED,
                  accessor,
                  AuditSubject.version(stored.version()),
                  AuditEvent.details("size", content.bundle().length),
                  now));
          return stored;
        });
  }

  /**
   * The caller's current backup, or {@code version}.
   *
   * @throws KeyserverException {@code NOT_FOUND} when there is none
   */
  public StoredBackup get(Did caller, Optional<Long> version, Accessor accessor) {
    Optional<Integer> wanted = version.map(BackupService::storedVersion);
    if (wanted.isPresent() && wanted.get() < 1) {
      throw notFound();
    }
    StoredBackup stored =
        backups
            .find(database.execute(), caller.toString(), wanted)
            .orElseThrow(BackupService::notFound);
    audit.record(
        AuditEvent.of(
            caller,
            AuditAction.BACKUP_READ,
            accessor,
            AuditSubject.version(stored.version()),
            Optional.empty(),
            clock.now()));
    return stored;
  }

  /** The caller's stored versions, newest first. */
  public List<BackupVersion> versions(Did caller) {
    return backups.versions(database.execute(), caller.toString());
  }

  /** Deletes every stored version of the caller's backup; returns how many. */
  public long delete(Did caller, Accessor accessor) {
    String owner = caller.toString();
    return database.inTransaction(
        tx -> {
          // Serialised with puts, so a put naming the deleted version as expected cannot pass.
          backups.lockHead(tx, owner);
          long deleted = backups.deleteVersions(tx, owner);
          if (deleted > 0) {
            audit.recordIn(
                tx,
                AuditEvent.of(
                    caller,
                    AuditAction.BACKUP_DELETED,
                    accessor,
                    AuditSubject.none(),
                    AuditEvent.details("versions", deleted),
                    clock.now()));
          }
          return deleted;
        });
  }

  /** A requested version as a stored one; 0 (never stored) for numbers no row can hold. */
  private static int storedVersion(long version) {
    return version > Integer.MAX_VALUE ? 0 : (int) version;
  }

  private static byte[] base64(String text, String field) {
    byte[] bytes;
    try {
      bytes = BASE64.decode(text);
    } catch (IllegalArgumentException e) {
      throw invalid(field, "must be standard base64 with padding");
    }
    // Only the canonical form: what get returns must be the very text that was put.
    if (!BASE64_OUT.encodeToString(bytes).equals(text)) {
      throw invalid(field, "must be standard base64 with padding");
    }
    return bytes;
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Every JDK has SHA-256", e);
    }
  }

  private static KeyserverException invalid(String field, String why) {
    return new KeyserverException(ErrorKind.BAD_REQUEST, "Invalid field '" + field + "': " + why);
  }

  private static KeyserverException notFound() {
    return new KeyserverException(ErrorKind.NOT_FOUND, "Backup not found");
  }
}
