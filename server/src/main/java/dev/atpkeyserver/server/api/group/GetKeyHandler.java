package dev.atpkeyserver.server.api.group;

import dev.atpkeyserver.lexicon.alpha.group.GetKey;
import dev.atpkeyserver.server.accesslog.Accessor;
import dev.atpkeyserver.server.group.GroupId;
import dev.atpkeyserver.server.group.GroupKey;
import dev.atpkeyserver.server.group.GroupService;
import dev.atpkeyserver.xrpc.XrpcCall;

/**
 * {@code group.getKey}: a group key for its owner or a member; the owner's first call creates it.
 */
public final class GetKeyHandler implements GetKey.Handler {

  private final GroupService groups;

  public GetKeyHandler(GroupService groups) {
    this.groups = groups;
  }

  @Override
  public GetKey.Output handle(GetKey.Params params, XrpcCall call) {
    GroupId groupId = GroupId.parse(params.groupId(), "group_id");
    GroupKey key = groups.key(call.caller(), groupId, params.version(), Accessor.of(call));
    return new GetKey.Output(groupId.toString(), key.secret().hex(), key.version());
  }
}
