package dev.atpkeyserver.server.api.device;

import dev.atpkeyserver.did.Did;
import dev.atpkeyserver.lexicon.alpha.device.ClaimBundles;
import dev.atpkeyserver.server.accesslog.Accessor;
import dev.atpkeyserver.server.device.Bundle;
import dev.atpkeyserver.server.device.DeviceId;
import dev.atpkeyserver.server.device.DeviceService;
import dev.atpkeyserver.server.identity.UserDids;
import dev.atpkeyserver.xrpc.XrpcCall;
import java.util.List;
import java.util.Optional;

/**
 * {@code device.claimBundles}: any caller gets a bundle per active device of a user, each consuming
 * one one-time prekey.
 */
public final class ClaimBundlesHandler implements ClaimBundles.Handler {

  private final DeviceService devices;

  public ClaimBundlesHandler(DeviceService devices) {
    this.devices = devices;
  }

  @Override
  public ClaimBundles.Output handle(ClaimBundles.Input input, XrpcCall call) {
    Did owner = UserDids.parse(input.did(), "did");
    Optional<DeviceId> only = input.deviceId().map(id -> DeviceId.parse(id, "deviceId"));
    List<Bundle> bundles = devices.claim(owner, only, Accessor.of(call));
    return new ClaimBundles.Output(
        owner.toString(), bundles.stream().map(DeviceViews::of).toList());
  }
}
