package dev.atpkeyserver.server.testing;

import dev.atpkeyserver.lexicon.alpha.accessLogs.GetLogs;
import dev.atpkeyserver.lexicon.alpha.account.Delete;
import dev.atpkeyserver.lexicon.alpha.group.AddMember;
import dev.atpkeyserver.lexicon.alpha.group.GetKey;
import dev.atpkeyserver.lexicon.alpha.group.RemoveMember;
import dev.atpkeyserver.lexicon.alpha.group.RotateKey;
import dev.atpkeyserver.lexicon.alpha.keypair.GetKeypair;
import dev.atpkeyserver.lexicon.alpha.keypair.GetPublicKey;
import dev.atpkeyserver.lexicon.alpha.keypair.ListVersions;
import dev.atpkeyserver.lexicon.alpha.keypair.Rotate;
import java.util.Optional;

/**
 * The generated parameter and input records the API tests send most, by what they ask for. The
 * records spell out every optional member; these name the common cases once.
 */
public final class Inputs {

  /** The rotation reason the lexicons default to when a body leaves it out. */
  public static final String DEFAULT_REASON = "user_requested";

  /** The confirmation {@code account.delete} requires. */
  public static final String DELETE_CONFIRMATION = "DELETE_ALL_MY_DATA";

  private Inputs() {}

  /** {@code keypair.getKeypair} for the active version. */
  public static GetKeypair.Params activeKeypair() {
    return new GetKeypair.Params(Optional.empty());
  }

  /** {@code keypair.getKeypair} for one version. */
  public static GetKeypair.Params keypairVersion(long version) {
    return new GetKeypair.Params(Optional.of(version));
  }

  /** {@code keypair.getPublicKey} of {@code did}'s active version. */
  public static GetPublicKey.Params publicKeyOf(String did) {
    return new GetPublicKey.Params(did, Optional.empty());
  }

  /** {@code keypair.getPublicKey} of one of {@code did}'s versions. */
  public static GetPublicKey.Params publicKeyOf(String did, long version) {
    return new GetPublicKey.Params(did, Optional.of(version));
  }

  /** {@code keypair.rotate} with the default reason. */
  public static Rotate.Input rotation() {
    return new Rotate.Input(DEFAULT_REASON);
  }

  /** {@code keypair.listVersions}: every version, one page. */
  public static ListVersions.Params keypairVersions() {
    return new ListVersions.Params(Optional.empty(), Optional.empty());
  }

  /** {@code group.getKey} for the active version. */
  public static GetKey.Params groupKey(String groupId) {
    return new GetKey.Params(groupId, Optional.empty());
  }

  /** {@code group.getKey} for one version. */
  public static GetKey.Params groupKey(String groupId, long version) {
    return new GetKey.Params(groupId, Optional.of(version));
  }

  /** {@code group.rotateKey} with the default reason. */
  public static RotateKey.Input groupRotation(String groupId) {
    return new RotateKey.Input(groupId, DEFAULT_REASON);
  }

  /** {@code group.addMember}. */
  public static AddMember.Input addMember(String groupId, String memberDid) {
    return new AddMember.Input(groupId, memberDid);
  }

  /** {@code group.removeMember}. */
  public static RemoveMember.Input removeMember(String groupId, String memberDid) {
    return new RemoveMember.Input(groupId, memberDid);
  }

  /** {@code group.listVersions}: every version, one page. */
  public static dev.atpkeyserver.lexicon.alpha.group.ListVersions.Params groupVersions(
      String groupId) {
    return new dev.atpkeyserver.lexicon.alpha.group.ListVersions.Params(
        groupId, Optional.empty(), Optional.empty());
  }

  /** {@code accessLogs.getLogs}: the first page of at most {@code limit} entries. */
  public static GetLogs.Params logs(long limit) {
    return new GetLogs.Params(limit, Optional.empty());
  }

  /** {@code account.delete}, confirmed. */
  public static Delete.Input deletion() {
    return new Delete.Input(DELETE_CONFIRMATION);
  }
}
