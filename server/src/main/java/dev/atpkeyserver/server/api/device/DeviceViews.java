package dev.atpkeyserver.server.api.device;

import dev.atpkeyserver.lexicon.alpha.device.Defs;
import dev.atpkeyserver.server.device.Bundle;
import dev.atpkeyserver.server.device.DeviceInfo;
import dev.atpkeyserver.server.device.OneTimePreKey;
import dev.atpkeyserver.server.device.SignedPreKey;
import dev.atpkeyserver.xrpc.KeyserverException;
import java.util.ArrayList;
import java.util.List;

/** Conversions between the device lexicons' records and the device package's values. */
final class DeviceViews {

  private DeviceViews() {}

  /**
   * A signed prekey from request input.
   *
   * @param field its name in the request, for error messages
   * @throws KeyserverException {@code BAD_REQUEST} for an id, key or signature of the wrong form
   */
  static SignedPreKey signedPreKey(Defs.SignedPreKey input, String field) {
    return SignedPreKey.parse(input.keyId(), input.publicKey(), input.signature(), field);
  }

  /**
   * One-time prekeys from request input, in order.
   *
   * @param field the array's name in the request, for error messages
   * @throws KeyserverException {@code BAD_REQUEST} naming the first key of the wrong form
   */
  static List<OneTimePreKey> oneTimePreKeys(List<Defs.OneTimePreKey> input, String field) {
    List<OneTimePreKey> keys = new ArrayList<>(input.size());
    for (int i = 0; i < input.size(); i++) {
      Defs.OneTimePreKey key = input.get(i);
      keys.add(OneTimePreKey.parse(key.keyId(), key.publicKey(), field + "[" + i + "]"));
    }
    return keys;
  }

  static Defs.SignedPreKey of(SignedPreKey key) {
    return new Defs.SignedPreKey(key.keyId().value(), key.publicKey().hex(), key.signature().hex());
  }

  static Defs.OneTimePreKey of(OneTimePreKey key) {
    return new Defs.OneTimePreKey(key.keyId().value(), key.publicKey().hex());
  }

  static Defs.Bundle of(Bundle bundle) {
    return new Defs.Bundle(
        bundle.deviceId().value(),
        bundle.identityKey().hex(),
        bundle.fingerprint(),
        of(bundle.signedPreKey()),
        bundle.oneTimePreKey().map(DeviceViews::of),
        bundle.lastResortKey().map(DeviceViews::of),
        bundle.remainingOneTimePreKeys());
  }

  static Defs.DeviceView of(DeviceInfo device) {
    return new Defs.DeviceView(
        device.deviceId().value(),
        device.fingerprint(),
        device.isActive() ? "active" : "revoked",
        device.registeredAt(),
        device.lastRotatedAt(),
        device.revokedAt(),
        device.revokeReason(),
        device.oneTimePreKeyCount().map(Integer::longValue),
        device.name());
  }
}
