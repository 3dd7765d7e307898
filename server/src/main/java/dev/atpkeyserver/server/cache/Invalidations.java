package dev.atpkeyserver.server.cache;

import dev.atpkeyserver.server.db.Database;
import io.helidon.dbclient.DbTransaction;
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
    try {
      return database.inTransaction(
          tx -> {
            T result = work.apply(tx);
            if (announce) {
              tx.get(NOTIFY, CHANNEL, scope.wire());
            }
            return result;
          });
    } finally {
      caches.invalidate(scope);
    }
  }
}
