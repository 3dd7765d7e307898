package dev.atpkeyserver.xrpc;

import io.helidon.common.parameters.Parameters;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads XRPC query parameters with Lexicon rules. Generated {@code Params.fromQuery} methods use
 * it; pass it the request's {@link io.helidon.common.uri.UriQuery}.
 *
 * <p>A single-valued parameter given twice is refused rather than silently taking one of the
 * values: which one a proxy or a cache would pick is not defined. Parameters the lexicon does not
 * declare are ignored, so that older servers keep working with newer clients.
 *
 * <p>A query whose percent-encoding cannot be decoded (a {@code %} not followed by two hex digits)
 * is a 400 for every parameter, since the query is decoded as a whole.
 */
public final class QueryParams {

  private final Parameters query;

  private QueryParams(Parameters query) {
    this.query = query;
  }

  /**
   * Wraps a query.
   *
   * @param query the decoded query parameters
   * @return a reader over them
   */
  public static QueryParams of(Parameters query) {
    return new QueryParams(Objects.requireNonNull(query, "query"));
  }

  /**
   * A parameter that must be present.
   *
   * @param name the parameter name
   * @param type its type and rules
   * @param <T> the Java type
   * @return the value
   * @throws KeyserverException 400 if it is missing, repeated or invalid
   */
  public <T> T required(String name, ParamType<T> type) {
    return optional(name, type).orElseThrow(() -> Where.PARAMETER.missing(name));
  }

  /**
   * A parameter that may be absent.
   *
   * @param name the parameter name
   * @param type its type and rules
   * @param <T> the Java type
   * @return the value, or empty if absent
   * @throws KeyserverException 400 if it is repeated or invalid
   */
  public <T> Optional<T> optional(String name, ParamType<T> type) {
    if (!contains(name)) {
      return Optional.empty();
    }
    List<String> values = query.all(name);
    if (values.size() != 1) {
      throw Where.PARAMETER.invalid(name, "must be given at most once");
    }
    return Optional.of(type.fromQuery(values.get(0), name));
  }

  /**
   * An array parameter (the name repeated once per item) with at least one item.
   *
   * @param name the parameter name
   * @param items the item type and rules
   * @param rule the rules on the number of items
   * @param <T> the item type
   * @return the items, in order
   * @throws KeyserverException 400 if it is missing or an item is invalid
   */
  public <T> List<T> requiredList(String name, ParamType<T> items, ArrayRule rule) {
    return optionalList(name, items, rule).orElseThrow(() -> Where.PARAMETER.missing(name));
  }

  /**
   * An array parameter (the name repeated once per item) that may be absent. A query string cannot
   * tell an empty array from an absent one, so no items means empty.
   *
   * @param name the parameter name
   * @param items the item type and rules
   * @param rule the rules on the number of items
   * @param <T> the item type
   * @return the items in order, or empty if there are none
   * @throws KeyserverException 400 if an item is invalid
   */
  public <T> Optional<List<T>> optionalList(String name, ParamType<T> items, ArrayRule rule) {
    if (!contains(name)) {
      return Optional.empty();
    }
    List<String> raw = query.all(name);
    rule.checkLength(raw.size(), name, Where.PARAMETER);
    List<T> values = new ArrayList<>(raw.size());
    for (String value : raw) {
      values.add(items.fromQuery(value, name));
    }
    return Optional.of(List.copyOf(values));
  }

  /**
   * Whether the query has {@code name}. Helidon decodes the whole query on first access and throws
   * on a truncated or non-hex escape ({@code a=%}, {@code a=%zz}); without this that was a 500.
   */
  private boolean contains(String name) {
    try {
      return query.contains(name);
    } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
      throw new KeyserverException(
          ErrorKind.BAD_REQUEST, "Malformed percent-encoding in the query string");
    }
  }
}
