package dev.atpkeyserver.server.group;

import dev.atpkeyserver.did.Did;
import dev.atpkeyserver.server.db.Rows;
import dev.atpkeyserver.server.keys.KeyVersionInfo;
import dev.atpkeyserver.server.keys.KeyVersionRepository;
import dev.atpkeyserver.server.keys.VersionedKeyStore;
import dev.atpkeyserver.server.paging.Page;
import io.helidon.dbclient.DbExecute;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * SQL for {@code key_groups}, {@code group_key_versions} and {@code group_members}. Methods that
 * change a group expect a transaction holding the group row's lock ({@link #lockHead}).
 */
public final class GroupRepository implements VersionedKeyStore<GroupId> {

  private static final String EXISTS = "SELECT group_id FROM key_groups WHERE group_id = ?";
  private static final String INSERT_GROUP =
      """
      INSERT INTO key_groups (group_id, owner_did, latest_version, created_at)
      VALUES (?, ?, 1, ?)
      ON CONFLICT DO NOTHING
      """;
  private static final String INSERT_VERSION =
      """
      INSERT INTO group_key_versions (group_id, version, key_ciphertext, active, created_at)
      VALUES (?, ?, ?, TRUE, ?)
      """;
  private static final String READ =
      "SELECT v.version, v.key_ciphertext FROM group_key_versions v WHERE v.group_id = ?";
  private static final String ACTIVE_ONLY = " AND v.active = TRUE";
  private static final String AT_VERSION = " AND v.version = ?";
  // @NOTE membership is checked in the same statement that reads the key: a removal that commits
  // before a rotation is then visible to every read that can see the rotation's new key.
  private static final String MEMBERS_ONLY =
      " AND EXISTS (SELECT 1 FROM group_members m"
          + " WHERE m.group_id = v.group_id AND m.member_did = ?)";
  private static final String IS_MEMBER =
      "SELECT member_did FROM group_members WHERE group_id = ? AND member_did = ?";
  private static final String ADD_MEMBER =
      """
      INSERT INTO group_members (group_id, member_did, added_at) VALUES (?, ?, ?)
      ON CONFLICT DO NOTHING
      """;
  private static final String REMOVE_MEMBER =
      "DELETE FROM group_members WHERE group_id = ? AND member_did = ?";
  // Versions and memberships go with their group (ON DELETE CASCADE).
  private static final String DELETE_OWNED = "DELETE FROM key_groups WHERE owner_did = ?";
  private static final String OWNED_IDS = "SELECT group_id FROM key_groups WHERE owner_did = ?";
  private static final String MEMBER_OF_IDS =
      "SELECT group_id FROM group_members WHERE member_did = ?";
  private static final String DELETE_MEMBERSHIPS = "DELETE FROM group_members WHERE member_did = ?";

  private final KeyVersionRepository versions =
      new KeyVersionRepository("key_groups", "group_key_versions", "group_id");

  boolean exists(DbExecute db, GroupId group) {
    return db.get(EXISTS, group.toString()).isPresent();
  }

  /** Locks the group row; the newest key version, or empty when the group does not exist. */
  @Override
  public Optional<Integer> lockHead(DbExecute tx, GroupId group) {
    return versions.lockHead(tx, group.toString());
  }

  /** Creates the group row; false when another transaction created it first (and committed). */
  @Override
  public boolean insertHead(DbExecute tx, GroupId group, Instant now) {
    return tx.insert(INSERT_GROUP, group.toString(), group.owner().toString(), Rows.param(now))
        == 1;
  }

  @Override
  public long revokeActive(DbExecute tx, GroupId group, Instant now, String reason) {
    return versions.revokeActive(tx, group.toString(), now, reason);
  }

  @Override
  public void setLatestVersion(DbExecute tx, GroupId group, int version) {
    versions.setLatestVersion(tx, group.toString(), version);
  }

  void insertActiveVersion(DbExecute tx, GroupId group, int version, byte[] sealed, Instant now) {
    tx.insert(INSERT_VERSION, group.toString(), version, sealed, Rows.param(now));
  }

  /**
   * The active version (or {@code version}) of the group key, if {@code reader} may read it: the
   * owner always, anyone else only while a member.
   */
  Optional<SealedVersion> readable(
      DbExecute db, GroupId group, Did reader, Optional<Integer> version) {
    boolean owner = group.isOwnedBy(reader);
    String sql =
        READ + (version.isPresent() ? AT_VERSION : ACTIVE_ONLY) + (owner ? "" : MEMBERS_ONLY);
    List<Object> params = new java.util.ArrayList<>();
    params.add(group.toString());
    version.ifPresent(params::add);
    if (!owner) {
      params.add(reader.toString());
    }
    return db.createGet(sql).params(params).execute().map(GroupRepository::sealedFromRow);
  }

  /**
   * A page of versions, newest first: the newest, or those below {@code before}.
   *
   * @param limit the page size, or {@link Page#UNLIMITED}
   */
  Page<KeyVersionInfo, Integer> versions(
      DbExecute db, GroupId group, Optional<Integer> before, int limit) {
    return versions.versions(db, group.toString(), before, limit);
  }

  boolean isMember(DbExecute db, GroupId group, String did) {
    return db.get(IS_MEMBER, group.toString(), did).isPresent();
  }

  /** Adds a member; false when already a member. */
  boolean addMember(DbExecute tx, GroupId group, String memberDid, Instant now) {
    return tx.insert(ADD_MEMBER, group.toString(), memberDid, Rows.param(now)) == 1;
  }

  /** Removes a member; false when not a member. */
  boolean removeMember(DbExecute tx, GroupId group, String memberDid) {
    return tx.delete(REMOVE_MEMBER, group.toString(), memberDid) == 1;
  }

  /** The ids of the groups the user owns (account deletion). */
  public List<String> groupsOwnedBy(DbExecute tx, String ownerDid) {
    return tx.query(OWNED_IDS, ownerDid).map(row -> row.column("group_id").getString()).toList();
  }

  /**
   * The ids of the groups the user is a member of (account deletion). A membership added between
   * this read and the deletion's DELETE is deleted too but not named; a cached read through it
   * lives at most the key cache's one-minute age limit.
   */
  public List<String> groupsWithMember(DbExecute tx, String memberDid) {
    return tx.query(MEMBER_OF_IDS, memberDid)
        .map(row -> row.column("group_id").getString())
        .toList();
  }

  /** Deletes every group the user owns, with all versions and memberships; returns the count. */
  public long deleteOwnedBy(DbExecute tx, String ownerDid) {
    return tx.delete(DELETE_OWNED, ownerDid);
  }

  /** Removes the user from every group; returns the count. */
  public long deleteMemberships(DbExecute tx, String memberDid) {
    return tx.delete(DELETE_MEMBERSHIPS, memberDid);
  }

  private static SealedVersion sealedFromRow(io.helidon.dbclient.DbRow row) {
    return new SealedVersion(
        Rows.integer(row, "version"), row.column("key_ciphertext").get(byte[].class));
  }

  /**
   * A stored group key version.
   *
   * @param version the version
   * @param sealedKey the key sealed for (group id, version)
   */
  // Identity equality of the array component is harmless: a row read once, never compared or
  // hashed.
  @SuppressWarnings("ArrayRecordComponent")
  public record SealedVersion(int version, byte[] sealedKey) {
    @Override
    public String toString() {
      return "SealedVersion[version=" + version + "]";
    }
  }
}
