package dev.atpkeyserver.server.api.group;

import dev.atpkeyserver.lexicon.alpha.group.PutWrappedKeys;
import dev.atpkeyserver.server.accesslog.Accessor;
import dev.atpkeyserver.server.group.GroupId;
import dev.atpkeyserver.server.group.GroupService;
import dev.atpkeyserver.server.group.GroupService.WrappedKeyInput;
import dev.atpkeyserver.server.group.GroupService.WrappedKeysPut;
import dev.atpkeyserver.xrpc.XrpcCall;

/** {@code group.putWrappedKeys}: the owner stores a group key wrapped for each member. */
public final class PutWrappedKeysHandler implements PutWrappedKeys.Handler {

  private final GroupService groups;

  public PutWrappedKeysHandler(GroupService groups) {
    this.groups = groups;
  }

  @Override
  public PutWrappedKeys.Output handle(PutWrappedKeys.Input input, XrpcCall call) {
    GroupId groupId = GroupId.parse(input.groupId(), "groupId");
    WrappedKeysPut put =
        groups.putWrappedKeys(
            call.caller(),
            groupId,
            input.keyId(),
            input.wrappedKeys().stream()
                .map(k -> new WrappedKeyInput(k.memberDid(), k.deviceId(), k.ciphertext()))
                .toList(),
            Accessor.of(call));
    return new PutWrappedKeys.Output(
        groupId.toString(), input.keyId(), put.stored(), put.current());
  }
}
