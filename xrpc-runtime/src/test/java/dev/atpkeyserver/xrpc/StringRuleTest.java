package dev.atpkeyserver.xrpc;

import static dev.atpkeyserver.xrpc.Rejections.badRequest;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

import jakarta.json.Json;
import jakarta.json.JsonValue;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class StringRuleTest {

  @Test
  void acceptsAnyStringWithoutConstraints() {
    assertThat(StringRule.any().fromQuery("", "q"), is(""));
    assertThat(StringRule.any().fromJson(Json.createValue("x"), "f"), is("x"));
  }

  @Test
  void countsMaxLengthInUtf8Bytes() {
    StringRule rule = StringRule.any().maxLength(4);
    assertThat(rule.fromQuery("abcd", "group_id"), is("abcd"));
    assertThat(rule.fromQuery("éé", "group_id"), is("éé")); // 4 bytes
    assertThat(rule.fromQuery("💩", "group_id"), is("💩")); // 4 bytes, 2 chars
    assertThat(
        badRequest(() -> rule.fromQuery("ééé", "group_id")),
        is("Invalid parameter 'group_id': must be at most 4 bytes long"));
    assertThat(
        badRequest(() -> rule.fromQuery("abcde", "group_id")),
        is("Invalid parameter 'group_id': must be at most 4 bytes long"));
  }

  @Test
  void checksMinLength() {
    StringRule rule = StringRule.any().minLength(2);
    assertThat(
        badRequest(() -> rule.fromJson(Json.createValue("a"), "name")),
        is("Invalid field 'name': must be at least 2 bytes long"));
    StringRule both = rule.maxLength(3);
    assertThat(
        badRequest(() -> both.fromJson(Json.createValue("abcd"), "name")),
        is("Invalid field 'name': must be between 2 and 3 bytes long"));
  }

  @Test
  void namesTheFormatWithoutEchoingTheValue() {
    StringRule rule = StringRule.any().format(StringFormat.DID);
    assertThat(
        rule.fromJson(Json.createValue("did:plc:xyz789"), "member_did"), is("did:plc:xyz789"));
    String message = badRequest(() -> rule.fromJson(Json.createValue("<script>"), "member_did"));
    assertThat(message, is("Invalid DID format in 'member_did'"));
    assertThat(message, not(containsString("script")));
    assertThat(badRequest(() -> rule.fromQuery("nope", "did")), is("Invalid DID format in 'did'"));
  }

  @Test
  void enforcesKnownValues() {
    StringRule rule =
        StringRule.any().knownValues("suspected_compromise", "routine_rotation", "user_requested");
    assertThat(
        rule.fromJson(Json.createValue("routine_rotation"), "reason"), is("routine_rotation"));
    assertThat(
        badRequest(() -> rule.fromJson(Json.createValue("bored"), "reason")),
        is(
            "Invalid field 'reason': must be one of: suspected_compromise, routine_rotation,"
                + " user_requested"));
  }

  @Test
  void enforcesEnumValues() {
    StringRule rule = StringRule.any().enumValues("a", "b");
    assertThat(rule.fromQuery("b", "x"), is("b"));
    assertThat(
        badRequest(() -> rule.fromQuery("c", "x")),
        is("Invalid parameter 'x': must be one of: a, b"));
  }

  @Test
  void enforcesConst() {
    StringRule rule = StringRule.any().constValue("DELETE_ALL_MY_DATA");
    assertThat(
        rule.fromJson(Json.createValue("DELETE_ALL_MY_DATA"), "confirmation"),
        is("DELETE_ALL_MY_DATA"));
    assertThat(
        badRequest(() -> rule.fromJson(Json.createValue("delete_all_my_data"), "confirmation")),
        is("Invalid field 'confirmation': must be exactly \"DELETE_ALL_MY_DATA\""));
  }

  @Test
  void refusesOtherJsonTypes() {
    StringRule rule = StringRule.any();
    for (JsonValue value :
        new JsonValue[] {
          Json.createValue(1),
          JsonValue.TRUE,
          JsonValue.EMPTY_JSON_OBJECT,
          JsonValue.EMPTY_JSON_ARRAY,
          JsonValue.NULL
        }) {
      assertThat(
          badRequest(() -> rule.fromJson(value, "reason")),
          is("Invalid field 'reason': must be a string"));
    }
  }

  @Test
  void refusesUnpairedSurrogates() {
    assertThat(
        badRequest(() -> StringRule.any().fromJson(Json.createValue("a\uD800"), "s")),
        is("Invalid field 's': must be valid Unicode text"));
    assertThat(StringRule.utf8Length("a\uD83D\uDCA9"), is(5));
    assertThat(StringRule.utf8Length("\uDCA9"), is(-1));
  }

  @Test
  void readsDatetimesAsInstants() {
    ScalarType<Instant> type = StringRule.any().format(StringFormat.DATETIME).instant();
    assertThat(
        type.fromQuery("2025-01-24T10:30:00.000Z", "since"),
        is(Instant.parse("2025-01-24T10:30:00Z")));
    assertThat(
        type.fromJson(Json.createValue("2025-01-24T12:30:00+02:00"), "at"),
        is(Instant.parse("2025-01-24T10:30:00Z")));
    assertThat(
        badRequest(() -> type.fromQuery("2025-01-24", "since")),
        is("Invalid datetime format in 'since'"));
    assertThat(
        badRequest(() -> type.fromJson(Json.createValue(5), "at")),
        is("Invalid field 'at': must be a string"));
    assertThrows(IllegalStateException.class, () -> StringRule.any().instant());
  }

  @Test
  void isImmutable() {
    StringRule base = StringRule.any();
    base.maxLength(1);
    assertThat(base.fromQuery("long value", "q"), is("long value"));
    assertThrows(IllegalArgumentException.class, () -> base.maxLength(-1));
    assertThrows(IllegalArgumentException.class, () -> base.knownValues());
  }
}
