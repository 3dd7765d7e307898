package dev.atpkeyserver.server.testing;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Assertions on keyserver responses, and firing requests in parallel. */
public final class Responses {

  private Responses() {}

  /** Runs {@code call} {@code count} times at once and returns every response. */
  public static List<HttpResponse<String>> inParallel(
      int count, java.util.concurrent.Callable<HttpResponse<String>> call) throws Exception {
    try (ExecutorService pool = Executors.newFixedThreadPool(count)) {
      List<Future<HttpResponse<String>>> futures = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        futures.add(pool.submit(call));
      }
      List<HttpResponse<String>> responses = new ArrayList<>();
      for (Future<HttpResponse<String>> future : futures) {
        responses.add(future.get());
      }
      return responses;
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
