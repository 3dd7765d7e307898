package dev.atpkeyserver.xrpc;

import static dev.atpkeyserver.xrpc.Rejections.badRequest;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import jakarta.json.Json;
import jakarta.json.JsonValue;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IntegerRuleTest {

  private static final IntegerRule VERSION = IntegerRule.any().minimum(1);
  private static final IntegerRule LIMIT = IntegerRule.any().minimum(1).maximum(1000);

  @Test
  void parsesQueryIntegers() {
    assertThat(VERSION.fromQuery("2", "version"), is(2L));
    assertThat(VERSION.fromQuery("0002", "version"), is(2L));
    assertThat(IntegerRule.any().fromQuery("-9223372036854775808", "n"), is(Long.MIN_VALUE));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "-",
        "+1",
        " 1",
        "1 ",
        "1.0",
        "1e2",
        "0x10",
        "abc",
        "99999999999999999999",
        "9223372036854775808"
      })
  void refusesQueryValuesThatAreNotIntegers(String raw) {
    assertThat(
        badRequest(() -> VERSION.fromQuery(raw, "version")),
        is("Invalid parameter 'version': must be an integer >= 1"));
  }

  @Test
  void checksBoundsWithOneMessagePerRule() {
    assertThat(
        badRequest(() -> VERSION.fromQuery("0", "version")),
        is("Invalid parameter 'version': must be an integer >= 1"));
    assertThat(
        badRequest(() -> LIMIT.fromQuery("1001", "limit")),
        is("Invalid parameter 'limit': must be an integer between 1 and 1000"));
    assertThat(
        badRequest(() -> IntegerRule.any().maximum(5).fromQuery("6", "n")),
        is("Invalid parameter 'n': must be an integer <= 5"));
    assertThat(
        badRequest(() -> IntegerRule.any().fromQuery("x", "n")),
        is("Invalid parameter 'n': must be an integer"));
    assertThat(LIMIT.fromQuery("1000", "limit"), is(1000L));
    assertThat(LIMIT.fromQuery("1", "limit"), is(1L));
  }

  @Test
  void checksEnumAndConst() {
    IntegerRule oneOf = IntegerRule.any().enumValues(3, 1, 2);
    assertThat(oneOf.fromQuery("2", "n"), is(2L));
    assertThat(
        badRequest(() -> oneOf.fromQuery("4", "n")),
        is("Invalid parameter 'n': must be one of: 1, 2, 3"));
    IntegerRule exactly = IntegerRule.any().constValue(7);
    assertThat(exactly.fromJson(Json.createValue(7), "n"), is(7L));
    assertThat(
        badRequest(() -> exactly.fromJson(Json.createValue(8), "n")),
        is("Invalid field 'n': must be exactly 7"));
  }

  @Test
  void acceptsJsonNumbersWithAnIntegralValue() {
    assertThat(VERSION.fromJson(Json.createValue(3), "version"), is(3L));
    assertThat(VERSION.fromJson(Json.createValue(new BigDecimal("3.0")), "version"), is(3L));
    assertThat(VERSION.fromJson(Json.createValue(new BigDecimal("3e2")), "version"), is(300L));
    assertThat(IntegerRule.any().fromJson(Json.createValue(new BigDecimal("0e5")), "n"), is(0L));
  }

  @Test
  void refusesOtherJsonValues() {
    for (JsonValue value :
        new JsonValue[] {
          Json.createValue(2.5),
          Json.createValue(new BigDecimal("1e19")),
          Json.createValue(new BigDecimal("1e999999")),
          Json.createValue(new BigDecimal("-9223372036854775809")),
          Json.createValue("2"),
          JsonValue.TRUE,
          JsonValue.NULL,
          JsonValue.EMPTY_JSON_ARRAY
        }) {
      assertThat(
          badRequest(() -> VERSION.fromJson(value, "versions[1].version")),
          is("Invalid field 'versions[1].version': must be an integer >= 1"));
    }
  }
}
