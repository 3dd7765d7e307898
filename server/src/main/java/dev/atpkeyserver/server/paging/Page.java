package dev.atpkeyserver.server.paging;

import dev.atpkeyserver.xrpc.ErrorKind;
import dev.atpkeyserver.xrpc.KeyserverException;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * One page of a keyset-paginated listing: its items, and the position of its last item when more
 * remain after it (the next page starts after that position).
 *
 * @param items the page, in listing order
 * @param next where the next page starts; empty when nothing remains
 * @param <T> the item type
 * @param <P> the position type (what the listing is ordered by)
 */
public record Page<T, P>(List<T> items, Optional<P> next) {

  /** The largest page size any paginated method accepts, as in the lexicons. */
  public static final int MAX_LIMIT = 1000;

  /** For methods whose page size is optional: no limit, every remaining item. */
  public static final int UNLIMITED = Integer.MAX_VALUE;

  public Page {
    items = List.copyOf(items);
  }

  /**
   * How many rows to fetch for a page of {@code limit}: one more, so a full page tells whether
   * anything remains without a second query (no cursor is handed out for an empty next page).
   */
  public static int rowsToFetch(int limit) {
    return limit == UNLIMITED ? UNLIMITED : limit + 1;
  }

  /**
   * Cuts rows fetched with {@link #rowsToFetch} into a page of {@code limit}.
   *
   * @param item the item of a row
   * @param position the position of a row, for the cursor of the next page
   */
  public static <R, T, P> Page<T, P> cut(
      List<R> rows, int limit, Function<R, T> item, Function<R, P> position) {
    if (rows.size() <= limit) {
      return new Page<>(rows.stream().map(item).toList(), Optional.empty());
    }
    List<R> page = rows.subList(0, limit);
    return new Page<>(
        page.stream().map(item).toList(), Optional.of(position.apply(page.get(limit - 1))));
  }

  /**
   * A requested page size as stored limits take it. The lexicons bound it already; services check
   * again so they never depend on the caller having validated.
   *
   * @throws KeyserverException {@code BAD_REQUEST} outside 1..{@value #MAX_LIMIT}
   */
  public static int checkedLimit(long limit) {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new KeyserverException(
          ErrorKind.BAD_REQUEST, "Invalid parameter 'limit': must be between 1 and " + MAX_LIMIT);
    }
    return (int) limit;
  }

  /** {@link #checkedLimit} for an optional page size, {@link #UNLIMITED} when absent. */
  public static int checkedLimit(Optional<Long> limit) {
    return limit.map(Page::checkedLimit).orElse(UNLIMITED);
  }
}
