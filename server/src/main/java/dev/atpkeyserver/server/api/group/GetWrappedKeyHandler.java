package dev.atpkeyserver.server.api.group;

import dev.atpkeyserver.lexicon.alpha.group.GetWrappedKey;
import dev.atpkeyserver.server.accesslog.Accessor;
import dev.atpkeyserver.server.group.GroupId;
import dev.atpkeyserver.server.group.GroupService;
import dev.atpkeyserver.server.group.WrappedKeyCopy;
import dev.atpkeyserver.server.group.WrappedKeys;
import dev.atpkeyserver.xrpc.XrpcCall;
import java.util.List;
import java.util.Map;

/** {@code group.getWrappedKey}: the caller's own wrapped copies of a group key. */
public final class GetWrappedKeyHandler implements GetWrappedKey.Handler {

  private final GroupService groups;

  public GetWrappedKeyHandler(GroupService groups) {
    this.groups = groups;
  }

  @Override
  public GetWrappedKey.Output handle(GetWrappedKey.Params params, XrpcCall call) {
    GroupId groupId = GroupId.parse(params.groupId(), "groupId");
    Map.Entry<String, List<WrappedKeyCopy>> served =
        groups.wrappedKey(call.caller(), groupId, params.keyId(), Accessor.of(call));
    return new GetWrappedKey.Output(
        groupId.toString(),
        served.getKey(),
        served.getValue().stream()
            .map(
                c ->
                    new GetWrappedKey.WrappedKey(
                        c.deviceId(), WrappedKeys.encode(c.ciphertext()), c.createdAt()))
            .toList());
  }
}
