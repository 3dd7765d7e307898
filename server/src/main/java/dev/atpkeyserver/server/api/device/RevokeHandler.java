package dev.atpkeyserver.server.api.device;

import dev.atpkeyserver.lexicon.alpha.device.Revoke;
import dev.atpkeyserver.server.device.DeviceId;
import dev.atpkeyserver.server.device.DeviceService;
import dev.atpkeyserver.server.device.Revocation;
import dev.atpkeyserver.xrpc.XrpcCall;

/** {@code device.revoke}: the caller revokes one of their devices, irreversibly. */
public final class RevokeHandler implements Revoke.Handler {

  private final DeviceService devices;

  public RevokeHandler(DeviceService devices) {
    this.devices = devices;
  }

  @Override
  public Revoke.Output handle(Revoke.Input input, XrpcCall call) {
    Revocation revocation =
        devices.revoke(call.caller(), DeviceId.parse(input.deviceId(), "deviceId"), input.reason());
    return new Revoke.Output(
        revocation.deviceId().value(), "revoked", revocation.revokedAt(), revocation.reason());
  }
}
