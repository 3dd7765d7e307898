package dev.atpkeyserver.server.api.group;

import dev.atpkeyserver.did.Did;
import dev.atpkeyserver.lexicon.alpha.group.AddMember;
import dev.atpkeyserver.server.accesslog.Accessor;
import dev.atpkeyserver.server.group.GroupId;
import dev.atpkeyserver.server.group.GroupService;
import dev.atpkeyserver.server.identity.UserDids;
import dev.atpkeyserver.xrpc.XrpcCall;

/** {@code group.addMember}: the owner grants a user access to the group key. */
public final class AddMemberHandler implements AddMember.Handler {

  private final GroupService groups;

  public AddMemberHandler(GroupService groups) {
    this.groups = groups;
  }

  @Override
  public AddMember.Output handle(AddMember.Input input, XrpcCall call) {
    GroupId groupId = GroupId.parse(input.groupId(), "group_id");
    Did member = UserDids.parse(input.memberDid(), "member_did");
    groups.addMember(call.caller(), groupId, member, Accessor.of(call));
    return new AddMember.Output(groupId.toString(), member.toString(), "added");
  }
}
