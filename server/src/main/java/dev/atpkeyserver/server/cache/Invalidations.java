package dev.atpkeyserver.server.cache;

import dev.atpkeyserver.server.db.Database;
import io.helidon.dbclient.DbTransaction;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The one way key rows change: a transaction that, on PostgreSQL, also announces what it changes to
 * every instance ({@code pg_notify}, delivered when — and only if — it commits), and that drops the
 * scope from this instance's caches once it has ended, whatever its outcome (an ambiguous commit
 * failure must not leave a stale entry behind).
 */
public final class Invalidations {

  /** The PostgreSQL notification channel every instance listens on. */
  public static final String CHANNEL = "atp_keyserver_cache";

  private static final String NOTIFY = "SELECT pg_notify(?, ?)";

  private final Database database;
  private final KeyCaches caches;
  private final boolean announce;

  /**
   * @param announce whether other instances must hear about writes (PostgreSQL); false for an
   *     embedded database only this process can open
   */
  public Invalidations(Database database, KeyCaches caches, boolean announce) {
    this.database = database;
    this.caches = caches;
    this.announce = announce;
  }

  /** Runs {@code work} in one transaction that changes what {@code scope} covers. */
  public <T> T write(CacheScope scope, Function<DbTransaction, T> work) {
    return write(tx -> new Scoped<>(work.apply(tx), List.of(scope)));
  }

  /**
   * Runs {@code work} in one transaction that changes what the scopes it names cover (for a write
   * that finds out inside the transaction what it touches, such as an account deletion).
   */
  public <T> T write(Function<DbTransaction, Scoped<T>> work) {
    List<CacheScope> touched = new ArrayList<>();
    try {
      return database.inTransaction(
          tx -> {
            Scoped<T> scoped = work.apply(tx);
            touched.addAll(scoped.scopes());
            if (announce) {
              for (CacheScope scope : scoped.scopes()) {
                tx.get(NOTIFY, CHANNEL, scope.wire());
              }
            }
            return scoped.result();
          });
    } finally {
      // Whatever the outcome: a commit whose acknowledgement was lost may still have happened.
      touched.forEach(caches::invalidate);
    }
  }

  /**
   * What a write returns and which scopes it changed.
   *
   * @param result the write's result
   * @param scopes everything the write may have made stale
   */
  public record Scoped<T>(T result, List<CacheScope> scopes) {}
}
