package dev.atpkeyserver.server.api.accesslogs;

import dev.atpkeyserver.did.Did;
import dev.atpkeyserver.lexicon.alpha.Defs;
import dev.atpkeyserver.lexicon.alpha.accessLogs.GetLogs;
import dev.atpkeyserver.server.accesslog.AccessLogEntry;
import dev.atpkeyserver.server.accesslog.AccessLogService;
import dev.atpkeyserver.server.accesslog.LogPosition;
import dev.atpkeyserver.server.api.PageCursors;
import dev.atpkeyserver.server.paging.Page;
import dev.atpkeyserver.xrpc.XrpcCall;
import java.util.Optional;

/**
 * {@code accessLogs.getLogs}: reads of the caller's keypair and of the groups they own, and the
 * bundles of their devices others claimed.
 */
public final class GetLogsHandler implements GetLogs.Handler {

  private final AccessLogService accessLogs;

  public GetLogsHandler(AccessLogService accessLogs) {
    this.accessLogs = accessLogs;
  }

  @Override
  public GetLogs.Output handle(GetLogs.Params params, XrpcCall call) {
    Did caller = call.caller();
    Optional<LogPosition> after = PageCursors.logPosition(params.cursor());
    Page<AccessLogEntry, LogPosition> page = accessLogs.page(caller, params.limit(), after);
    return new GetLogs.Output(
        page.items().stream().map(e -> view(e, caller)).toList(),
        page.next().map(PageCursors::ofLogs));
  }

  private static Defs.AccessLog view(AccessLogEntry entry, Did caller) {
    // The accessor is only news when it was someone else (a member reading the owner's group, a
    // sender claiming a bundle of the owner's device).
    Optional<String> accessor =
        entry.accessor().did().filter(did -> !did.equals(caller)).map(Did::toString);
    return new Defs.AccessLog(
        entry.version(),
        entry.accessedAt(),
        entry.accessor().ip(),
        entry.accessor().userAgent(),
        Optional.of(entry.keyType().wireName()),
        entry.groupId(),
        entry.deviceId(),
        accessor);
  }
}
