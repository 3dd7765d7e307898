package dev.atpkeyserver.server.api.device;

import dev.atpkeyserver.lexicon.alpha.device.Register;
import dev.atpkeyserver.server.crypto.Ed25519Signatures;
import dev.atpkeyserver.server.device.DeviceId;
import dev.atpkeyserver.server.device.DeviceService;
import dev.atpkeyserver.server.device.PublicBytes;
import dev.atpkeyserver.server.device.RegisteredDevice;
import dev.atpkeyserver.server.device.Registration;
import dev.atpkeyserver.xrpc.XrpcCall;

/** {@code device.register}: the caller registers a device with the keys it generated. */
public final class RegisterHandler implements Register.Handler {

  private final DeviceService devices;

  public RegisterHandler(DeviceService devices) {
    this.devices = devices;
  }

  @Override
  public Register.Output handle(Register.Input input, XrpcCall call) {
    Registration registration =
        new Registration(
            DeviceId.parse(input.deviceId(), "deviceId"),
            input.deviceName(),
            PublicBytes.parseHex(
                input.identityKey(), Ed25519Signatures.PUBLIC_KEY_BYTES, "identityKey"),
            DeviceViews.signedPreKey(input.signedPreKey(), "signedPreKey"),
            DeviceViews.oneTimePreKeys(input.oneTimePreKeys(), "oneTimePreKeys"),
            input.lastResortKey().map(key -> DeviceViews.signedPreKey(key, "lastResortKey")));
    RegisteredDevice device = devices.register(call.caller(), registration);
    return new Register.Output(
        device.deviceId().value(),
        device.fingerprint(),
        device.oneTimePreKeyCount(),
        "active",
        device.registeredAt());
  }
}
