package dev.atpkeyserver.server;

import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Supplier;

/**
 * One piece of start-up work run on a thread of its own, so independent work (loading the master
 * key, opening the database, building the token verifier) overlaps instead of queueing: start-up is
 * mostly class loading and initialisation, which spreads over the cores.
 *
 * @param <T> what the work produces
 */
final class StartupTask<T> {

  private final FutureTask<T> task;

  private StartupTask(FutureTask<T> task) {
    this.task = task;
  }

  /** Starts {@code work} now on a daemon thread named {@code keyserver-start-<name>}. */
  static <T> StartupTask<T> start(String name, Supplier<T> work) {
    FutureTask<T> task = new FutureTask<>(work::get);
    // A daemon: a start-up that fails elsewhere must not be kept alive by this thread.
    Thread.ofPlatform().name("keyserver-start-" + name).daemon(true).start(task);
    return new StartupTask<>(task);
  }

  /**
   * Waits for the result. The work's own exception is rethrown as it was thrown, so a failing
   * start-up reports the same error as if the work had run on the caller's thread.
   */
  T join() {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return task.get();
        } catch (InterruptedException e) {
          // Start-up cannot go on without the result: wait on, and restore the flag afterwards.
          interrupted = true;
        } catch (ExecutionException e) {
          throw rethrown(e.getCause());
        } catch (CancellationException e) {
          throw new IllegalStateException("Start-up task was cancelled", e);
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Waits for the work to end, whatever its outcome, when start-up has failed elsewhere. */
  void awaitQuietly() {
    try {
      join();
    } catch (RuntimeException | Error ignored) {
      // The failure being reported is the caller's; this one would only hide it.
    }
  }

  private static RuntimeException rethrown(Throwable cause) {
    if (cause instanceof RuntimeException runtime) {
      return runtime;
    }
    if (cause instanceof Error error) {
      throw error;
    }
    return new IllegalStateException("Start-up task failed", cause);
  }
}
