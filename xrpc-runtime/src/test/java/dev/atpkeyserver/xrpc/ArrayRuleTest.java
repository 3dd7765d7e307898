package dev.atpkeyserver.xrpc;

import static dev.atpkeyserver.xrpc.Rejections.badRequest;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import jakarta.json.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class ArrayRuleTest {

  private static final FieldType<List<Long>> VERSIONS =
      ArrayRule.any().minLength(1).maxLength(3).of(IntegerRule.any().minimum(1));

  @Test
  void readsItemsInOrderIntoAnImmutableList() {
    List<Long> values = VERSIONS.fromJson(Json.createArrayBuilder().add(3).add(1).build(), "v");
    assertThat(values, is(List.of(3L, 1L)));
    assertThrows(UnsupportedOperationException.class, () -> values.add(4L));
  }

  @Test
  void namesTheFailingItemByIndex() {
    assertThat(
        badRequest(() -> VERSIONS.fromJson(Json.createArrayBuilder().add(1).add(0).build(), "v")),
        is("Invalid field 'v[1]': must be an integer >= 1"));
    assertThat(
        badRequest(
            () -> VERSIONS.fromJson(Json.createArrayBuilder().add(1).addNull().build(), "v")),
        is("Invalid field 'v[1]': must be an integer >= 1"));
  }

  @Test
  void checksTheNumberOfItems() {
    assertThat(
        badRequest(() -> VERSIONS.fromJson(Json.createArrayBuilder().build(), "v")),
        is("Invalid field 'v': must have between 1 and 3 items"));
    assertThat(
        badRequest(
            () ->
                ArrayRule.any()
                    .maxLength(1)
                    .of(IntegerRule.any())
                    .fromJson(Json.createArrayBuilder().add(1).add(2).build(), "v")),
        is("Invalid field 'v': must have at most 1 items"));
    assertThat(
        badRequest(
            () ->
                ArrayRule.any()
                    .minLength(2)
                    .of(IntegerRule.any())
                    .fromJson(Json.createArrayBuilder().add(1).build(), "v")),
        is("Invalid field 'v': must have at least 2 items"));
  }

  @Test
  void refusesNonArrays() {
    assertThat(
        badRequest(() -> VERSIONS.fromJson(Json.createValue(1), "v")),
        is("Invalid field 'v': must be an array"));
  }
}
