package dev.atpkeyserver.server.testing;

import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.StringReader;
import java.net.http.HttpResponse;

/** Reads JSON response bodies in tests. */
public final class Json {

  private Json() {}

  /** The body of {@code response} as a JSON object. */
  public static JsonObject body(HttpResponse<String> response) {
    return parse(response.body());
  }

  /** {@code json} as a JSON object. */
  public static JsonObject parse(String json) {
    try (JsonReader reader = jakarta.json.Json.createReader(new StringReader(json))) {
      return reader.readObject();
    }
  }
}
