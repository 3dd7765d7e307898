package dev.atpkeyserver.server.api.audit;

import dev.atpkeyserver.did.Did;
import dev.atpkeyserver.lexicon.alpha.audit.ListEvents;
import dev.atpkeyserver.server.accesslog.LogPosition;
import dev.atpkeyserver.server.api.PageCursors;
import dev.atpkeyserver.server.audit.AuditAction;
import dev.atpkeyserver.server.audit.AuditEvent;
import dev.atpkeyserver.server.audit.AuditService;
import dev.atpkeyserver.server.audit.AuditSubject;
import dev.atpkeyserver.server.paging.Page;
import dev.atpkeyserver.xrpc.XrpcCall;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.StringReader;
import java.util.Optional;

/** {@code audit.listEvents}: the caller's own audit log, newest first. */
public final class ListEventsHandler implements ListEvents.Handler {

  private final AuditService audit;

  public ListEventsHandler(AuditService audit) {
    this.audit = audit;
  }

  @Override
  public ListEvents.Output handle(ListEvents.Params params, XrpcCall call) {
    Optional<AuditAction> action = params.action().map(AuditAction::fromWireName);
    Optional<LogPosition> after = PageCursors.auditPosition(params.cursor());
    Page<AuditEvent, LogPosition> page =
        audit.page(call.caller(), action, params.since(), params.until(), params.limit(), after);
    return new ListEvents.Output(
        page.items().stream().map(ListEventsHandler::view).toList(),
        page.next().map(PageCursors::ofAuditEvents));
  }

  private static ListEvents.Event view(AuditEvent event) {
    AuditSubject subject = event.subject();
    return new ListEvents.Event(
        event.action().wireName(),
        event.actorDid().map(Did::toString),
        new ListEvents.Subject(
            subject.version().map(Integer::longValue),
            subject.groupId(),
            subject.keyId(),
            subject.memberDid(),
            subject.deviceId()),
        event.details().map(ListEventsHandler::parse),
        event.createdAt(),
        event.ip(),
        event.userAgent());
  }

  /** Details as stored: a JSON object the server wrote. */
  private static JsonObject parse(String json) {
    try (JsonReader reader = Json.createReader(new StringReader(json))) {
      return reader.readObject();
    }
  }
}
