package dev.atpkeyserver.server.keys;

import java.time.Instant;
import java.util.Optional;

/**
 * The lifecycle of one key version, as {@code listVersions} reports it. Used for keypairs and group
 * keys alike.
 *
 * @param version the version number
 * @param active whether it is the active version
 * @param createdAt when it was created
 * @param revokedAt when it was revoked, empty while active
 */
public record KeyVersionInfo(
    int version, boolean active, Instant createdAt, Optional<Instant> revokedAt) {

  /** {@code active} or {@code revoked}, as the API names it. */
  public String status() {
    return active ? "active" : "revoked";
  }
}
