package dev.atpkeyserver.server.api.device;

import dev.atpkeyserver.lexicon.alpha.device.UploadPreKeys;
import dev.atpkeyserver.server.device.DeviceId;
import dev.atpkeyserver.server.device.DeviceService;
import dev.atpkeyserver.server.device.KeyId;
import dev.atpkeyserver.server.device.PreKeyState;
import dev.atpkeyserver.server.device.PreKeyUpload;
import dev.atpkeyserver.xrpc.XrpcCall;
import java.util.List;

/** {@code device.uploadPreKeys}: the caller adds or replaces prekeys of one of their devices. */
public final class UploadPreKeysHandler implements UploadPreKeys.Handler {

  private final DeviceService devices;

  public UploadPreKeysHandler(DeviceService devices) {
    this.devices = devices;
  }

  @Override
  public UploadPreKeys.Output handle(UploadPreKeys.Input input, XrpcCall call) {
    PreKeyUpload upload =
        new PreKeyUpload(
            DeviceId.parse(input.deviceId(), "deviceId"),
            input.signedPreKey().map(key -> DeviceViews.signedPreKey(key, "signedPreKey")),
            DeviceViews.oneTimePreKeys(input.oneTimePreKeys().orElse(List.of()), "oneTimePreKeys"),
            input.lastResortKey().map(key -> DeviceViews.signedPreKey(key, "lastResortKey")));
    PreKeyState state = devices.upload(call.caller(), upload);
    return new UploadPreKeys.Output(
        state.deviceId().value(),
        state.signedPreKeyId().value(),
        state.oneTimePreKeyCount(),
        state.lastResortKeyId().map(KeyId::value));
  }
}
