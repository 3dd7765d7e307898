package dev.atpkeyserver.server.api.device;

import dev.atpkeyserver.did.Did;
import dev.atpkeyserver.lexicon.alpha.device.List;
import dev.atpkeyserver.server.device.DeviceService;
import dev.atpkeyserver.server.identity.UserDids;
import dev.atpkeyserver.xrpc.XrpcCall;

/** {@code device.list}: a user's devices and fingerprints, for any caller. */
public final class ListHandler implements List.Handler {

  private final DeviceService devices;

  public ListHandler(DeviceService devices) {
    this.devices = devices;
  }

  @Override
  public List.Output handle(List.Params params, XrpcCall call) {
    Did owner = UserDids.parse(params.did(), "did");
    return new List.Output(
        devices.list(call.caller(), owner, params.includeRevoked()).stream()
            .map(DeviceViews::of)
            .toList());
  }
}
