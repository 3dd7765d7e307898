package dev.atpkeyserver.server.testing;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.atpkeyserver.xrpc.client.XrpcClientException;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.function.Executable;

/** Assertions on keyserver responses, and firing requests in parallel. */
public final class Responses {

  private Responses() {}

  /**
   * Runs {@code call} {@code count} times at once and returns every result, in submission order;
   * the first call that throws fails the test with its exception.
   */
  public static <T> List<T> inParallel(int count, Callable<T> call) throws Exception {
    try (ExecutorService pool = Executors.newFixedThreadPool(count)) {
      List<Future<T>> futures = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        futures.add(pool.submit(call));
      }
      List<T> results = new ArrayList<>();
      for (Future<T> future : futures) {
        try {
          results.add(future.get());
        } catch (ExecutionException e) {
          if (e.getCause() instanceof Exception cause) {
            throw cause;
          }
          throw e;
        }
      }
      return results;
    }
  }

  /**
   * Asserts that a typed call fails with the contract's error: {@code status}, {@code error} and a
   * message containing {@code message}. The strict test client has already checked that the body is
   * {@code application/json} with exactly {@code error} and {@code message}.
   *
   * @return the failure, for more checks (headers)
   */
  public static XrpcClientException assertError(
      Executable call, int status, String error, String message) {
    XrpcClientException e = assertThrows(XrpcClientException.class, call);
    assertThat(e.getMessage(), e.status(), equalTo(status));
    assertThat(e.getMessage(), e.error(), equalTo(error));
    assertThat(
        e.errorMessage().orElseThrow(() -> new AssertionError("no message: " + e.getMessage())),
        containsString(message));
    return e;
  }

  /**
   * The HTTP status a typed call got: 200 when it returned, else its error's status. For tests that
   * wait for an answer to change.
   */
  public static int statusOf(Runnable call) {
    try {
      call.run();
      return 200;
    } catch (XrpcClientException e) {
      return e.status();
    }
  }

  /** Asserts a 200 JSON response and returns its body. */
  public static JsonObject ok(HttpResponse<String> response) {
    assertThat(response.body(), response.statusCode(), equalTo(200));
    assertThat(
        response.headers().firstValue("Content-Type").orElse(""),
        containsString("application/json"));
    return Json.body(response);
  }

  /** Asserts the contract's error body, exactly {@code {"error", "message"}}. */
  public static void assertError(
      HttpResponse<String> response, int status, String error, String message) {
    assertThat(response.body(), response.statusCode(), equalTo(status));
    JsonObject body = Json.body(response);
    assertThat(body.getString("error"), equalTo(error));
    assertThat(body.getString("message"), containsString(message));
    assertThat(body.keySet(), contains("error", "message"));
  }
}
