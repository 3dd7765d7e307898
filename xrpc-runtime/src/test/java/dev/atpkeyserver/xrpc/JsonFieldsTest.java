package dev.atpkeyserver.xrpc;

import static dev.atpkeyserver.xrpc.Rejections.badRequest;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JsonFieldsTest {

  private static final StringRule TEXT = StringRule.any();

  private static JsonFields fields(String json) {
    return JsonFields.of(JsonBodies.parse(json.getBytes(StandardCharsets.UTF_8)), "");
  }

  @Test
  void readsRequiredAndOptionalMembers() {
    JsonFields f = fields("{\"group_id\":\"g\",\"reason\":\"r\"}");
    assertThat(f.required("group_id", TEXT), is("g"));
    assertThat(f.optional("reason", TEXT), is(Optional.of("r")));
    assertThat(f.optional("absent", TEXT), is(Optional.empty()));
  }

  @Test
  void reportsAMissingRequiredMemberByName() {
    assertThat(
        badRequest(() -> fields("{\"group_id\":\"g\"}").required("member_did", TEXT)),
        is("Missing required field 'member_did'"));
  }

  @Test
  void refusesNullForANonNullableMember() {
    assertThat(
        badRequest(() -> fields("{\"member_did\":null}").required("member_did", TEXT)),
        is("Invalid field 'member_did': must not be null"));
    assertThat(
        badRequest(() -> fields("{\"reason\":null}").optional("reason", TEXT)),
        is("Invalid field 'reason': must not be null"));
  }

  @Test
  void acceptsNullForANullableMember() {
    JsonFields f = fields("{\"revoked_at\":null,\"ip\":\"192.0.2.1\"}");
    assertThat(f.requiredNullable("revoked_at", TEXT), is(Optional.empty()));
    assertThat(f.requiredNullable("ip", TEXT), is(Optional.of("192.0.2.1")));
    assertThat(f.optionalNullable("revoked_at", TEXT), is(Optional.empty()));
    assertThat(f.optionalNullable("absent", TEXT), is(Optional.empty()));
  }

  @Test
  void stillRequiresARequiredNullableMemberToBePresent() {
    assertThat(
        badRequest(() -> fields("{}").requiredNullable("revoked_at", TEXT)),
        is("Missing required field 'revoked_at'"));
  }

  @Test
  void reportsTheWrongTypeByName() {
    assertThat(
        badRequest(() -> fields("{\"group_id\":42}").required("group_id", TEXT)),
        is("Invalid field 'group_id': must be a string"));
  }

  @Test
  void prefixesNestedPaths() {
    JsonObject inner = Json.createObjectBuilder().add("status", 1).build();
    JsonFields f = JsonFields.of(inner, "versions[0]");
    assertThat(
        badRequest(() -> f.required("status", TEXT)),
        is("Invalid field 'versions[0].status': must be a string"));
    assertThat(
        badRequest(() -> f.required("absent", TEXT)),
        is("Missing required field 'versions[0].absent'"));
  }

  @Test
  void refusesANestedValueThatIsNotAnObject() {
    assertThat(
        badRequest(() -> JsonFields.of(Json.createValue("x"), "logs[2]")),
        is("Invalid field 'logs[2]': must be an object"));
    assertThat(
        badRequest(() -> JsonFields.of(Json.createValue("x"), "")), is("Malformed JSON body"));
  }

  @Test
  void readsAnUnknownAsTheObjectItIs() {
    JsonObject params = Json.createObjectBuilder().add("m", 1).add("n", "x").build();
    JsonFields f = fields("{\"kdfParams\":{\"m\":1,\"n\":\"x\"},\"bad\":[1]}");
    assertThat(f.required("kdfParams", JsonFields::unknownObject), is(params));
    assertThat(
        badRequest(() -> f.required("bad", JsonFields::unknownObject)),
        is("Invalid field 'bad': must be an object"));
  }
}
