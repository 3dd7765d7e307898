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
    try (JsonReader reader = jakarta.json.Json.createReader(new StringReader(response.body()))) {
      return reader.readObject();
    }
  }
}
