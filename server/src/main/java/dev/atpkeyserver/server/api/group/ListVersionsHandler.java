package dev.atpkeyserver.server.api.group;

import dev.atpkeyserver.lexicon.alpha.group.ListVersions;
import dev.atpkeyserver.server.api.KeyVersionViews;
import dev.atpkeyserver.server.api.PageCursors;
import dev.atpkeyserver.server.api.PageCursors.Kind;
import dev.atpkeyserver.server.group.GroupId;
import dev.atpkeyserver.server.group.GroupService;
import dev.atpkeyserver.server.keys.KeyVersionInfo;
import dev.atpkeyserver.server.paging.Page;
import dev.atpkeyserver.xrpc.XrpcCall;
import java.util.Optional;

/** {@code group.listVersions}: the versions of a group key, for its owner and members. */
public final class ListVersionsHandler implements ListVersions.Handler {

  private final GroupService groups;

  public ListVersionsHandler(GroupService groups) {
    this.groups = groups;
  }

  @Override
  public ListVersions.Output handle(ListVersions.Params params, XrpcCall call) {
    GroupId groupId = GroupId.parse(params.groupId(), "group_id");
    Optional<Integer> before = PageCursors.version(Kind.GROUP_VERSIONS, params.cursor());
    Page<KeyVersionInfo, Integer> page =
        groups.versions(call.caller(), groupId, params.limit(), before);
    return new ListVersions.Output(
        groupId.toString(),
        KeyVersionViews.of(page.items()),
        page.next().map(v -> PageCursors.ofVersion(Kind.GROUP_VERSIONS, v)));
  }
}
