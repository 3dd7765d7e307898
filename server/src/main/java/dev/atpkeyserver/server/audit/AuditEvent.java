package dev.atpkeyserver.server.audit;

import dev.atpkeyserver.did.Did;
import dev.atpkeyserver.server.accesslog.Accessor;
import dev.atpkeyserver.xrpc.JsonOut;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One entry of a user's audit log.
 *
 * @param ownerDid whose log it is in
 * @param action what happened
 * @param actorDid who did it; empty for anonymous public-key reads
 * @param subject what it was done to
 * @param details a small JSON object, as text
 * @param createdAt when
 * @param ip the client address, only when the actor is the owner
 * @param userAgent the User-Agent, only when the actor is the owner
 */
public record AuditEvent(
    Did ownerDid,
    AuditAction action,
    Optional<Did> actorDid,
    AuditSubject subject,
    Optional<String> details,
    Instant createdAt,
    Optional<String> ip,
    Optional<String> userAgent) {

  public AuditEvent {
    Objects.requireNonNull(ownerDid, "ownerDid");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(actorDid, "actorDid");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(details, "details");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(ip, "ip");
    Objects.requireNonNull(userAgent, "userAgent");
  }

  /**
   * An event in {@code owner}'s log for what {@code actor} did. The actor's address and User-Agent
   * are kept only when the actor is the owner: another user's address is theirs, not the owner's.
   */
  public static AuditEvent of(
      Did owner,
      AuditAction action,
      Accessor actor,
      AuditSubject subject,
      Optional<String> details,
      Instant now) {
    boolean self = actor.did().filter(owner::equals).isPresent();
    return new AuditEvent(
        owner,
        action,
        actor.did(),
        subject,
        details,
        now,
        self ? actor.ip() : Optional.empty(),
        self ? actor.userAgent() : Optional.empty());
  }

  /** A details object of string and integer members, in the order given (name, value, ...). */
  public static Optional<String> details(Object... namesAndValues) {
    JsonOut out = new JsonOut().beginObject();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      out.name((String) namesAndValues[i]);
      Object value = namesAndValues[i + 1];
      switch (value) {
        case Integer n -> out.value(n.longValue());
        case Long n -> out.value(n.longValue());
        case Boolean b -> out.value(b.booleanValue());
        default -> out.value(value.toString());
      }
    }
    return Optional.of(out.endObject().toString());
  }
}
