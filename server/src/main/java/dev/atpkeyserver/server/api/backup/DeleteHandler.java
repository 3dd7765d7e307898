package dev.atpkeyserver.server.api.backup;

import dev.atpkeyserver.lexicon.alpha.backup.Delete;
import dev.atpkeyserver.server.accesslog.Accessor;
import dev.atpkeyserver.server.backup.BackupService;
import dev.atpkeyserver.xrpc.XrpcCall;

/** {@code backup.delete}: deletes every stored version of the caller's backup. */
public final class DeleteHandler implements Delete.Handler {

  private final BackupService backups;

  public DeleteHandler(BackupService backups) {
    this.backups = backups;
  }

  @Override
  public Delete.Output handle(XrpcCall call) {
    return new Delete.Output(backups.delete(call.caller(), Accessor.of(call)));
  }
}
