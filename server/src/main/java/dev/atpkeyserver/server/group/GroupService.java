package dev.atpkeyserver.server.group;

import dev.atpkeyserver.did.Did;
import dev.atpkeyserver.server.accesslog.AccessLogEntry.KeyType;
import dev.atpkeyserver.server.accesslog.Accessor;
import dev.atpkeyserver.server.cache.CacheScope;
import dev.atpkeyserver.server.cache.Invalidations;
import dev.atpkeyserver.server.cache.KeyCaches;
import dev.atpkeyserver.server.cache.ScopedCache;
import dev.atpkeyserver.server.crypto.KeyGenerators;
import dev.atpkeyserver.server.crypto.KeyMaterial;
import dev.atpkeyserver.server.group.GroupRepository.SealedVersion;
import dev.atpkeyserver.server.keys.KeyServiceContext;
import dev.atpkeyserver.server.keys.KeyVersionInfo;
import dev.atpkeyserver.server.keys.KeyVersioning;
import dev.atpkeyserver.server.keys.KeyVersions;
import dev.atpkeyserver.server.keys.LockedHead;
import dev.atpkeyserver.server.keys.Rotation;
import dev.atpkeyserver.server.paging.Page;
import dev.atpkeyserver.xrpc.ErrorKind;
import dev.atpkeyserver.xrpc.KeyserverException;
import io.helidon.dbclient.DbExecute;
import java.time.Instant;
import java.util.Optional;

/**
 * Group keys and memberships. The owner (named in the group id) creates the group with its first
 * {@code getKey}, and alone rotates its key and manages members; members read every version.
 *
 * <p>Errors follow the contract: 404 when the group (or version) does not exist, 403 when it exists
 * and the caller may not do what they asked.
 *
 * <p>Key reads go through a cache of (reader, version) → sealed key filled only from the statement
 * that checked the reader's right to that key, and dropped for the whole group by every rotation
 * and member removal, here and on every other instance ({@link Invalidations}). So a removed member
 * can at most keep receiving, for the moment an invalidation takes to arrive, a version they were
 * already given — never a version created after their removal.
 */
public final class GroupService {

  private final KeyServiceContext context;
  private final GroupRepository groups;
  private final ScopedCache<Reader, SealedVersion> cache;
  private final KeyVersioning<GroupId> versions;

  /**
   * A cached read's key within its group.
   *
   * @param did who read
   * @param version the version asked for, or {@link KeyCaches#ACTIVE}
   */
  public record Reader(Did did, int version) {}

  /**
   * @param context what every key service is built on
   * @param groups the group tables
   * @param cache sealed group keys by group id, then reader and version
   */
  public GroupService(
      KeyServiceContext context, GroupRepository groups, ScopedCache<Reader, SealedVersion> cache) {
    this.context = context;
    this.groups = groups;
    this.cache = cache;
    this.versions = new KeyVersioning<>(groups, this::insertNewVersion, context.clock());
  }

  /**
   * A version of the group key (the active one by default), for the owner or a member. The owner's
   * first call creates the group with version 1. The read is logged in the owner's access log.
   */
  public GroupKey key(Did caller, GroupId group, Optional<Long> version, Accessor accessor) {
    DbExecute db = context.database().execute();
    Optional<Integer> wanted = version.flatMap(KeyVersions::stored);
    boolean outOfRange = version.isPresent() && wanted.isEmpty();
    // Authorisation and read in one statement (see GroupRepository.readable).
    Optional<SealedVersion> stored =
        outOfRange ? Optional.empty() : readable(db, group, caller, wanted);
    if (stored.isEmpty()) {
      // Nothing readable: tell 404 from 403, or create the group on the owner's first call.
      if (!groups.exists(db, group)) {
        boolean firstCall = !outOfRange && (wanted.isEmpty() || wanted.get() == 1);
        if (!group.isOwnedBy(caller) || !firstCall) {
          throw groupNotFound();
        }
        // Unless a concurrent first call already did.
        context
            .database()
            .inTransaction(
                tx -> {
                  versions.createIfAbsent(tx, group);
                  return null;
                });
      } else if (!group.isOwnedBy(caller) && !groups.isMember(db, group, caller.toString())) {
        throw notAMember();
      }
      // Read again: we created the group, or a concurrent first call did since our first read.
      // (A version no row can hold stays unreadable: "no version" would mean the active one.)
      stored = outOfRange ? Optional.empty() : readable(db, group, caller, wanted);
    }
    SealedVersion served = stored.orElseThrow(KeyVersions::notFound);
    KeyMaterial secret =
        context.masterKey().openGroupKey(served.sealedKey(), group.toString(), served.version());
    context.logRead(
        group.owner().toString(),
        KeyType.GROUP,
        Optional.of(group.toString()),
        served.version(),
        accessor);
    return new GroupKey(group, served.version(), secret);
  }

  /** The version {@code reader} may read, from the cache or the authorising statement. */
  private Optional<SealedVersion> readable(
      DbExecute db, GroupId group, Did reader, Optional<Integer> version) {
    return cache.get(
        group.toString(),
        new Reader(reader, version.orElse(KeyCaches.ACTIVE)),
        () -> groups.readable(db, group, reader, version));
  }

  /** Revokes the active group key and creates the next version. Owner only. */
  public Rotation rotate(Did caller, GroupId group, String reason) {
    return context
        .invalidations()
        .write(
            CacheScope.group(group.toString()),
            tx -> versions.rotate(tx, lockAsOwner(tx, group, caller, "rotate its key"), reason));
  }

  /**
   * The versions of the group key, newest first, for the owner and members: all of them, or a page
   * of {@code limit}, starting below {@code before} when given.
   *
   * @throws KeyserverException {@code BAD_REQUEST} for a limit outside 1..{@value Page#MAX_LIMIT}
   */
  public Page<KeyVersionInfo, Integer> versions(
      Did caller, GroupId group, Optional<Long> limit, Optional<Integer> before) {
    int checkedLimit = Page.checkedLimit(limit);
    DbExecute db = context.database().execute();
    if (!groups.exists(db, group)) {
      throw groupNotFound();
    }
    if (!group.isOwnedBy(caller) && !groups.isMember(db, group, caller.toString())) {
      throw notAMember();
    }
    return groups.versions(db, group, before, checkedLimit);
  }

  /** Grants {@code member} access to every version of the group key. Owner only. */
  public void addMember(Did caller, GroupId group, Did member) {
    context
        .database()
        .inTransaction(
            tx -> {
              lockAsOwner(tx, group, caller, "add members");
              if (group.owner().equals(member)) {
                throw new KeyserverException(
                    ErrorKind.BAD_REQUEST, "The group owner cannot be added as a member");
              }
              if (!groups.addMember(tx, group, member.toString(), context.clock().now())) {
                throw new KeyserverException(ErrorKind.CONFLICT, "Member already in group");
              }
              return null;
            });
  }

  /** Revokes {@code member}'s access, effective for the next request. Owner only. */
  public void removeMember(Did caller, GroupId group, Did member) {
    context
        .invalidations()
        .write(
            CacheScope.group(group.toString()),
            tx -> {
              lockAsOwner(tx, group, caller, "remove members");
              if (!groups.removeMember(tx, group, member.toString())) {
                throw new KeyserverException(ErrorKind.NOT_FOUND, "Member not in group");
              }
              return null;
            });
  }

  /**
   * Locks an existing group for its owner: 404 if it does not exist, 403 for anyone else. Ownership
   * is checked first, so nobody else can ever hold the group's lock.
   */
  private LockedHead<GroupId> lockAsOwner(DbExecute tx, GroupId group, Did caller, String action) {
    if (!group.isOwnedBy(caller)) {
      if (!groups.exists(tx, group)) {
        throw groupNotFound();
      }
      throw new KeyserverException(ErrorKind.FORBIDDEN, "Only the group owner can " + action);
    }
    return versions.lock(tx, group).orElseThrow(GroupService::groupNotFound);
  }

  /** A fresh XChaCha20-Poly1305 key as version {@code version}, sealed for (group id, version). */
  private void insertNewVersion(DbExecute tx, GroupId group, int version, Instant createdAt) {
    byte[] sealed =
        context
            .masterKey()
            .sealGroupKey(KeyGenerators.xchacha20Poly1305(), group.toString(), version);
    groups.insertActiveVersion(tx, group, version, sealed, createdAt);
  }

  private static KeyserverException groupNotFound() {
    return new KeyserverException(ErrorKind.NOT_FOUND, "Group not found");
  }

  private static KeyserverException notAMember() {
    return new KeyserverException(ErrorKind.FORBIDDEN, "Not a member of this group");
  }
}
