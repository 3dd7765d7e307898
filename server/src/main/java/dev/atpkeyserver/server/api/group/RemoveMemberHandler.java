package dev.atpkeyserver.server.api.group;

import dev.atpkeyserver.did.Did;
import dev.atpkeyserver.lexicon.alpha.group.RemoveMember;
import dev.atpkeyserver.server.accesslog.Accessor;
import dev.atpkeyserver.server.group.GroupId;
import dev.atpkeyserver.server.group.GroupService;
import dev.atpkeyserver.server.identity.UserDids;
import dev.atpkeyserver.xrpc.XrpcCall;

/** {@code group.removeMember}: the owner revokes a member's access, effective immediately. */
public final class RemoveMemberHandler implements RemoveMember.Handler {

  private final GroupService groups;

  public RemoveMemberHandler(GroupService groups) {
    this.groups = groups;
  }

  @Override
  public RemoveMember.Output handle(RemoveMember.Input input, XrpcCall call) {
    GroupId groupId = GroupId.parse(input.groupId(), "group_id");
    Did member = UserDids.parse(input.memberDid(), "member_did");
    groups.removeMember(call.caller(), groupId, member, Accessor.of(call));
    return new RemoveMember.Output(groupId.toString(), member.toString(), "removed");
  }
}
