package dev.atpkeyserver.server.device;

import dev.atpkeyserver.xrpc.KeyserverException;

/**
 * The owner's id for one of their devices, with the syntax of a {@link KeyId}: 1 to 64 characters
 * of {@code A-Z a-z 0-9 . _ : -}. Unique among the owner's active devices.
 *
 * @param value the id
 */
public record DeviceId(String value) {

  /**
   * Parses a device id from request input.
   *
   * @param field where it is in the request, for the error message
   * @throws KeyserverException {@code BAD_REQUEST} when it breaks the syntax
   */
  public static DeviceId parse(String text, String field) {
    return new DeviceId(KeyId.checked(text, field));
  }

  @Override
  public String toString() {
    return value;
  }
}
