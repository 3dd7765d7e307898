package dev.atpkeyserver.server.api.group;

import dev.atpkeyserver.lexicon.alpha.group.ListVersions;
import dev.atpkeyserver.server.api.KeyVersionViews;
import dev.atpkeyserver.server.group.GroupId;
import dev.atpkeyserver.server.group.GroupService;
import dev.atpkeyserver.xrpc.XrpcCall;

/** {@code group.listVersions}: every version of a group key, for its owner and members. */
public final class ListVersionsHandler implements ListVersions.Handler {

  private final GroupService groups;

  public ListVersionsHandler(GroupService groups) {
    this.groups = groups;
  }

  @Override
  public ListVersions.Output handle(ListVersions.Params params, XrpcCall call) {
    GroupId groupId = GroupId.parse(params.groupId(), "group_id");
    return new ListVersions.Output(
        groupId.toString(), KeyVersionViews.of(groups.versions(call.caller(), groupId)));
  }
}
