package dev.atpkeyserver.server.api.backup;

import dev.atpkeyserver.lexicon.alpha.backup.Defs;
import dev.atpkeyserver.lexicon.alpha.backup.Put;
import dev.atpkeyserver.server.accesslog.Accessor;
import dev.atpkeyserver.server.backup.BackupContent;
import dev.atpkeyserver.server.backup.BackupService;
import dev.atpkeyserver.server.backup.StoredBackup;
import dev.atpkeyserver.xrpc.JsonOut;
import dev.atpkeyserver.xrpc.XrpcCall;
import jakarta.json.JsonObject;

/** {@code backup.put}: stores the next version of the caller's encrypted backup. */
public final class PutHandler implements Put.Handler {

  private final BackupService backups;

  public PutHandler(BackupService backups) {
    this.backups = backups;
  }

  @Override
  public Put.Output handle(Put.Input input, XrpcCall call) {
    Defs.EncryptionMetadata metadata = input.encryptionMetadata();
    BackupContent content =
        BackupService.checked(
            input.encryptedBundle(),
            input.checksum(),
            metadata.algorithm(),
            metadata.kdf(),
            metadata.kdfParams().map(PutHandler::jsonText),
            metadata.nonce(),
            metadata.salt());
    StoredBackup stored =
        backups.put(call.caller(), content, input.expectedVersion(), Accessor.of(call));
    return new Put.Output(stored.version(), stored.storedAt());
  }

  /** The object as JSON text, which get parses back into an equal object. */
  private static String jsonText(JsonObject object) {
    return new JsonOut().value(object).toString();
  }
}
