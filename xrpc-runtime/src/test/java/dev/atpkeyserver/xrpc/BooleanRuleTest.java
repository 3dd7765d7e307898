package dev.atpkeyserver.xrpc;

import static dev.atpkeyserver.xrpc.Rejections.badRequest;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import jakarta.json.Json;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BooleanRuleTest {

  @Test
  void readsExactlyTrueAndFalseFromTheQuery() {
    assertThat(BooleanRule.any().fromQuery("true", "b"), is(true));
    assertThat(BooleanRule.any().fromQuery("false", "b"), is(false));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "TRUE", "True", "1", "0", "yes", "t"})
  void refusesOtherQueryValues(String raw) {
    assertThat(
        badRequest(() -> BooleanRule.any().fromQuery(raw, "includeRevoked")),
        is("Invalid parameter 'includeRevoked': must be a boolean (true or false)"));
  }

  @Test
  void readsJsonBooleansOnly() {
    assertThat(BooleanRule.any().fromJson(JsonValue.TRUE, "b"), is(true));
    assertThat(BooleanRule.any().fromJson(JsonValue.FALSE, "b"), is(false));
    assertThat(
        badRequest(() -> BooleanRule.any().fromJson(Json.createValue("true"), "b")),
        is("Invalid field 'b': must be a boolean (true or false)"));
  }

  @Test
  void enforcesConst() {
    BooleanRule rule = BooleanRule.any().constValue(true);
    assertThat(rule.fromQuery("true", "b"), is(true));
    assertThat(
        badRequest(() -> rule.fromQuery("false", "b")),
        is("Invalid parameter 'b': must be exactly true"));
  }
}
