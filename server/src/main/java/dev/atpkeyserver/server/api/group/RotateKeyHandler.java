package dev.atpkeyserver.server.api.group;

import dev.atpkeyserver.lexicon.alpha.group.RotateKey;
import dev.atpkeyserver.server.group.GroupId;
import dev.atpkeyserver.server.group.GroupService;
import dev.atpkeyserver.server.keys.Rotation;
import dev.atpkeyserver.xrpc.XrpcCall;

/** {@code group.rotateKey}: the owner revokes the active group key and creates the next one. */
public final class RotateKeyHandler implements RotateKey.Handler {

  private final GroupService groups;

  public RotateKeyHandler(GroupService groups) {
    this.groups = groups;
  }

  @Override
  public RotateKey.Output handle(RotateKey.Input input, XrpcCall call) {
    GroupId groupId = GroupId.parse(input.groupId(), "group_id");
    Rotation rotation = groups.rotate(call.caller(), groupId, input.reason());
    return new RotateKey.Output(
        groupId.toString(), rotation.oldVersion(), rotation.newVersion(), rotation.rotatedAt());
  }
}
