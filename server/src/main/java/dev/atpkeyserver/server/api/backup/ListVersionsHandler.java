package dev.atpkeyserver.server.api.backup;

import dev.atpkeyserver.lexicon.alpha.backup.Defs;
import dev.atpkeyserver.lexicon.alpha.backup.ListVersions;
import dev.atpkeyserver.server.backup.BackupService;
import dev.atpkeyserver.xrpc.XrpcCall;

/** {@code backup.listVersions}: the caller's stored versions, without their content. */
public final class ListVersionsHandler implements ListVersions.Handler {

  private final BackupService backups;

  public ListVersionsHandler(BackupService backups) {
    this.backups = backups;
  }

  @Override
  public ListVersions.Output handle(XrpcCall call) {
    return new ListVersions.Output(
        backups.versions(call.caller()).stream()
            .map(v -> new Defs.BackupVersion(v.version(), v.size(), v.checksum(), v.storedAt()))
            .toList());
  }
}
