package dev.atpkeyserver.xrpc;

import static dev.atpkeyserver.xrpc.Rejections.badRequest;
import static dev.atpkeyserver.xrpc.Rejections.rejected;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import jakarta.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonBodiesTest {

  private static final Optional<String> JSON = Optional.of("application/json");

  private static JsonObject read(Optional<String> contentType, String body, int max) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    return JsonBodies.read(
        contentType, OptionalLong.of(bytes.length), new ByteArrayInputStream(bytes), max);
  }

  @Test
  void parsesAJsonObject() {
    JsonObject o = read(JSON, "{\"reason\":\"routine_rotation\"}", 100);
    assertThat(o.getString("reason"), is("routine_rotation"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "application/json",
        "application/json; charset=utf-8",
        "Application/JSON",
        " application/json ;charset=UTF-8"
      })
  void acceptsJsonContentTypesWithParameters(String contentType) {
    assertThat(read(Optional.of(contentType), "{}", 100), is(JsonObject.EMPTY_JSON_OBJECT));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"text/plain", "application/x-www-form-urlencoded", "application/jsonx", ""})
  void refusesOtherContentTypesWith415(String contentType) {
    assertThat(
        rejected(ErrorKind.UNSUPPORTED_MEDIA_TYPE, () -> read(Optional.of(contentType), "{}", 100)),
        is("Content-Type must be application/json"));
  }

  @Test
  void refusesANonEmptyBodyWithoutContentType() {
    rejected(ErrorKind.UNSUPPORTED_MEDIA_TYPE, () -> read(Optional.empty(), "{}", 100));
  }

  @Test
  void readsAnEmptyBodyAsAnEmptyObjectWhateverTheContentType() {
    assertThat(read(Optional.empty(), "", 100), is(JsonObject.EMPTY_JSON_OBJECT));
    assertThat(read(Optional.of("text/plain"), "", 100), is(JsonObject.EMPTY_JSON_OBJECT));
    assertThat(JsonBodies.parse(new byte[0]), is(JsonObject.EMPTY_JSON_OBJECT));
  }

  @Test
  void refusesADeclaredLengthOverTheLimitWithoutReading() {
    InputStream failing =
        new InputStream() {
          @Override
          public int read() throws IOException {
            throw new IOException("must not be read");
          }

          @Override
          public int read(byte[] b, int off, int len) throws IOException {
            throw new IOException("must not be read");
          }
        };
    assertThat(
        rejected(
            ErrorKind.PAYLOAD_TOO_LARGE,
            () -> JsonBodies.read(JSON, OptionalLong.of(101), failing, 100)),
        is("Request body is larger than 100 bytes"));
  }

  @Test
  void stopsReadingAnUndeclaredLengthAtTheLimit() {
    CountingStream endless = new CountingStream();
    rejected(
        ErrorKind.PAYLOAD_TOO_LARGE,
        () -> JsonBodies.read(JSON, OptionalLong.empty(), endless, 1000));
    assertThat(endless.count, is(1001L));
  }

  @Test
  void acceptsABodyOfExactlyTheLimit() {
    String body = "{\"a\":\"" + "x".repeat(92) + "\"}";
    assertThat(body.length(), is(100));
    assertThat(read(JSON, body, 100).getString("a").length(), is(92));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{",
        "{\"a\":}",
        "{'a':1}",
        "{\"a\":1,}",
        "[]",
        "[{}]",
        "\"text\"",
        "42",
        "null",
        "true",
        "{} {}",
        "{}x",
        "{\"a\":1,\"a\":2}",
        "{\"o\":{\"a\":1,\"a\":1}}",
        "{\"a\":NaN}",
        " "
      })
  void refusesAnythingButOneObjectAsMalformed(String body) {
    assertThat(badRequest(() -> read(JSON, body, 1000)), is("Malformed JSON body"));
  }

  @Test
  void refusesInvalidUtf8() {
    byte[] body = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, '"', '}'};
    assertThat(badRequest(() -> JsonBodies.parse(body)), is("Malformed JSON body"));
  }

  @Test
  void refusesDeepNesting() {
    String deep = "{\"a\":".repeat(40) + "1" + "}".repeat(40);
    assertThat(badRequest(() -> read(JSON, deep, 10_000)), is("Malformed JSON body"));
    String shallow = "{\"a\":".repeat(10) + "1" + "}".repeat(10);
    assertThat(read(JSON, shallow, 10_000).containsKey("a"), is(true));
  }

  @Test
  void keepsMemberOrderAndIgnoresWhitespace() {
    JsonObject o = read(JSON, " \n{ \"b\" : 1 , \"a\" : 2 }\n ", 100);
    assertThat(String.join(",", o.keySet()), is("b,a"));
  }

  @Test
  void checksTheSizeLimit() {
    assertThat(JsonBodies.checkLimit(0), is(0));
    assertThat(JsonBodies.checkLimit(JsonBodies.DEFAULT_MAX_BYTES), is(65536));
    assertThrows(IllegalArgumentException.class, () -> JsonBodies.checkLimit(-1));
    assertThrows(IllegalArgumentException.class, () -> JsonBodies.checkLimit(Integer.MAX_VALUE));
  }

  @Test
  void allowsOnlyAnEmptyBodyWithALimitOfZero() {
    assertThat(read(JSON, "", 0), is(JsonObject.EMPTY_JSON_OBJECT));
    rejected(ErrorKind.PAYLOAD_TOO_LARGE, () -> read(JSON, "{}", 0));
  }

  @Test
  void recognisesJsonMediaTypes() {
    assertThat(JsonBodies.isJson("application/json;charset=utf-8"), is(true));
    assertThat(JsonBodies.isJson("application/json-patch+json"), is(false));
  }

  /** An endless stream of spaces that counts how much was read. */
  private static final class CountingStream extends InputStream {
    long count;

    @Override
    public int read() {
      count++;
      return ' ';
    }

    @Override
    public int read(byte[] b, int off, int len) {
      for (int i = 0; i < len; i++) {
        b[off + i] = ' ';
      }
      count += len;
      return len;
    }
  }
}
