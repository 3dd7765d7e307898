package dev.atpkeyserver.xrpc;

import static dev.atpkeyserver.xrpc.Rejections.badRequest;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import io.helidon.common.uri.UriQuery;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class QueryParamsTest {

  private static final StringRule GROUP_ID = StringRule.any().maxLength(2113);
  private static final IntegerRule VERSION = IntegerRule.any().minimum(1);

  private static QueryParams query(String raw) {
    return QueryParams.of(UriQuery.create(raw));
  }

  @Test
  void readsPercentDecodedValues() {
    QueryParams q = query("group_id=did%3Aplc%3Aabc123%23followers&version=2");
    assertThat(q.required("group_id", GROUP_ID), is("did:plc:abc123#followers"));
    assertThat(q.optional("version", VERSION), is(Optional.of(2L)));
  }

  @Test
  void reportsAMissingRequiredParameterByName() {
    assertThat(
        badRequest(() -> query("version=1").required("group_id", GROUP_ID)),
        is("Missing required parameter 'group_id'"));
  }

  @Test
  void refusesAMalformedPercentEncodingAsABadRequest() {
    // Found by the fuzz suite: Helidon's decoder threw StringIndexOutOfBoundsException (a 500).
    for (String raw : List.of("did=%", "did=a%2", "version=1&did=%", "x=%&version=1")) {
      assertThat(
          raw,
          badRequest(() -> query(raw).optional("version", VERSION)),
          is("Malformed percent-encoding in the query string"));
    }
  }

  @Test
  void treatsAnAbsentOptionalParameterAsEmpty() {
    assertThat(query("").optional("version", VERSION), is(Optional.empty()));
  }

  @Test
  void treatsAnEmptyValueAsPresent() {
    assertThat(
        badRequest(() -> query("version=").optional("version", VERSION)),
        is("Invalid parameter 'version': must be an integer >= 1"));
    assertThat(query("group_id=").required("group_id", GROUP_ID), is(""));
  }

  @Test
  void refusesARepeatedSingleValuedParameter() {
    assertThat(
        badRequest(() -> query("version=1&version=2").optional("version", VERSION)),
        is("Invalid parameter 'version': must be given at most once"));
    assertThat(
        badRequest(() -> query("group_id=a&group_id=a").required("group_id", GROUP_ID)),
        is("Invalid parameter 'group_id': must be given at most once"));
  }

  @Test
  void ignoresUndeclaredParameters() {
    assertThat(query("version=3&unknown=x").optional("version", VERSION), is(Optional.of(3L)));
  }

  @Test
  void readsRepeatedArrayParametersInOrder() {
    QueryParams q = query("v=3&v=1&other=x");
    assertThat(q.requiredList("v", VERSION, ArrayRule.any()), is(List.of(3L, 1L)));
    assertThat(q.optionalList("w", VERSION, ArrayRule.any()), is(Optional.empty()));
    assertThat(
        badRequest(() -> q.requiredList("w", VERSION, ArrayRule.any())),
        is("Missing required parameter 'w'"));
    assertThat(
        badRequest(() -> query("v=1&v=0").requiredList("v", VERSION, ArrayRule.any())),
        is("Invalid parameter 'v': must be an integer >= 1"));
    assertThat(
        badRequest(() -> q.requiredList("v", VERSION, ArrayRule.any().maxLength(1))),
        is("Invalid parameter 'v': must have at most 1 items"));
  }
}
