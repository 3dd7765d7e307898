package dev.atpkeyserver.server.observe;

import dev.atpkeyserver.server.db.Database;
import io.helidon.health.HealthCheck;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Readiness: the database answers {@code SELECT 1} within {@code timeout}. The query runs on its
 * own virtual thread so a hung connection cannot hold the health request past the timeout, and at
 * most one probe runs at a time: while one is still waiting (for a pool connection, up to the
 * pool's 5 s), further checks wait for that same probe instead of piling up more. Nothing is
 * cached, so the server is ready again as soon as the database answers again.
 */
final class DatabaseReadiness implements HealthCheck {

  private final Database database;
  private final Duration timeout;
  private final AtomicReference<CompletableFuture<Void>> running = new AtomicReference<>();

  DatabaseReadiness(Database database, Duration timeout) {
    this.database = database;
    this.timeout = timeout;
  }

  @Override
  public HealthCheckType type() {
    return HealthCheckType.READINESS;
  }

  @Override
  public String name() {
    return "database";
  }

  @Override
  public HealthCheckResponse call() {
    try {
      probe().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return HealthCheckResponse.builder().status(true).build();
    } catch (TimeoutException e) {
      return down("no answer within " + timeout.toMillis() + " ms");
    } catch (ExecutionException e) {
      // The exception class only: driver messages can quote the JDBC URL.
      return down("query failed: " + e.getCause().getClass().getSimpleName());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return down("interrupted");
    }
  }

  private CompletableFuture<Void> probe() {
    CompletableFuture<Void> mine = new CompletableFuture<>();
    CompletableFuture<Void> current = running.compareAndExchange(null, mine);
    if (current != null) {
      return current;
    }
    Thread.ofVirtual()
        .name("keyserver-readiness")
        .start(
            () -> {
              try {
                database.execute().get("SELECT 1");
                mine.complete(null);
              } catch (RuntimeException | Error e) {
                mine.completeExceptionally(e);
              } finally {
                running.compareAndSet(mine, null);
              }
            });
    return mine;
  }

  private static HealthCheckResponse down(String reason) {
    return HealthCheckResponse.builder().status(false).detail("reason", reason).build();
  }
}
