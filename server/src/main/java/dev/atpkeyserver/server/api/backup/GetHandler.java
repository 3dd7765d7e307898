package dev.atpkeyserver.server.api.backup;

import dev.atpkeyserver.lexicon.alpha.backup.Defs;
import dev.atpkeyserver.lexicon.alpha.backup.Get;
import dev.atpkeyserver.server.accesslog.Accessor;
import dev.atpkeyserver.server.backup.BackupContent;
import dev.atpkeyserver.server.backup.BackupService;
import dev.atpkeyserver.server.backup.StoredBackup;
import dev.atpkeyserver.xrpc.XrpcCall;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.StringReader;

/** {@code backup.get}: the caller's own backup, exactly as it was put. */
public final class GetHandler implements Get.Handler {

  private final BackupService backups;

  public GetHandler(BackupService backups) {
    this.backups = backups;
  }

  @Override
  public Get.Output handle(Get.Params params, XrpcCall call) {
    StoredBackup stored = backups.get(call.caller(), params.version(), Accessor.of(call));
    BackupContent content = stored.content();
    return new Get.Output(
        BackupService.encode(content.bundle()),
        new Defs.EncryptionMetadata(
            content.algorithm(),
            content.kdf(),
            content.kdfParams().map(GetHandler::parse),
            content.nonce(),
            content.salt()),
        content.checksum(),
        stored.version(),
        stored.storedAt());
  }

  /** kdfParams as stored: JSON text PutHandler wrote from an object. */
  private static JsonObject parse(String json) {
    try (JsonReader reader = Json.createReader(new StringReader(json))) {
      return reader.readObject();
    }
  }
}
