package dev.atpkeyserver.xrpc;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ErrorBodiesTest {

  private static String json(ErrorKind kind, String message) {
    return new String(ErrorBodies.json(kind, message), StandardCharsets.UTF_8);
  }

  @Test
  void writesTheContractsErrorShape() {
    assertThat(
        json(ErrorKind.BAD_REQUEST, "Invalid DID format"),
        is("{\"error\":\"Bad Request\",\"message\":\"Invalid DID format\"}"));
    assertThat(
        json(ErrorKind.INTERNAL, "Database operation failed"),
        is("{\"error\":\"Internal Server Error\",\"message\":\"Database operation failed\"}"));
  }

  @Test
  void escapesTheMessage() {
    assertThat(
        json(ErrorKind.BAD_REQUEST, "must be exactly \"X\"\n\u0001"),
        is("{\"error\":\"Bad Request\",\"message\":\"must be exactly \\\"X\\\"\\n\\u0001\"}"));
  }

  @Test
  void encodesUtf8() {
    byte[] body = ErrorBodies.json(ErrorKind.NOT_FOUND, "Gruppe »ü« fehlt");
    assertThat(
        new String(body, StandardCharsets.UTF_8),
        is("{\"error\":\"Not Found\",\"message\":\"Gruppe »ü« fehlt\"}"));
  }
}
