package dev.atpkeyserver.server.api;

import dev.atpkeyserver.lexicon.alpha.Defs;
import dev.atpkeyserver.server.keys.KeyVersionInfo;
import java.util.List;

/** Key version lifecycles as the two {@code listVersions} methods return them. */
public final class KeyVersionViews {

  private KeyVersionViews() {}

  /** The wire form of each version, in the given order. */
  public static List<Defs.KeyVersion> of(List<KeyVersionInfo> versions) {
    return versions.stream()
        .map(v -> new Defs.KeyVersion(v.version(), v.status(), v.createdAt(), v.revokedAt()))
        .toList();
  }
}
