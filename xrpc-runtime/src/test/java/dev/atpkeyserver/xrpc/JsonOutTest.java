package dev.atpkeyserver.xrpc;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonOutTest {

  private static String string(String value) {
    return new JsonOut().value(value).toString();
  }

  @Test
  void writesCompactObjectsAndArrays() {
    String json =
        new JsonOut()
            .beginObject()
            .name("a")
            .value(1)
            .name("b")
            .beginArray()
            .value(true)
            .value(false)
            .nullValue()
            .beginObject()
            .endObject()
            .beginArray()
            .endArray()
            .endArray()
            .name("c")
            .value("x")
            .endObject()
            .toString();
    assertThat(json, is("{\"a\":1,\"b\":[true,false,null,{},[]],\"c\":\"x\"}"));
  }

  @Test
  void writesLongsExactly() {
    assertThat(new JsonOut().value(Long.MIN_VALUE).toString(), is("-9223372036854775808"));
    assertThat(new JsonOut().value(0).toString(), is("0"));
  }

  @Test
  void escapesQuotesBackslashesAndControlCharacters() {
    assertThat(string("a\"b\\c/d"), is("\"a\\\"b\\\\c/d\""));
    assertThat(string("\n\r\t\b\f"), is("\"\\n\\r\\t\\b\\f\""));
    assertThat(string("\u0000\u0001\u001f\u007f"), is("\"\\u0000\\u0001\\u001f\u007f\""));
  }

  @Test
  void escapesJavaScriptLineSeparators() {
    assertThat(string("a\u2028b\u2029c"), is("\"a\\u2028b\\u2029c\""));
  }

  @Test
  void keepsNonAsciiTextAndSurrogatePairsAsUtf8() {
    String text = "grüße 💩 日本";
    byte[] bytes = new JsonOut().value(text).toBytes();
    assertThat(new String(bytes, StandardCharsets.UTF_8), is("\"" + text + "\""));
  }

  @Test
  void replacesLoneSurrogatesWithTheReplacementCharacter() {
    assertThat(string("a\uD800b"), is("\"a\\ufffdb\""));
    assertThat(string("\uDC00"), is("\"\\ufffd\""));
    assertThat(string("end\uD83D"), is("\"end\\ufffd\""));
    assertThat(string("\uDCA9\uD83D"), is("\"\\ufffd\\ufffd\""));
  }

  @Test
  void escapesMemberNamesToo() {
    String json = new JsonOut().beginObject().name("a\"b").value(1).endObject().toString();
    assertThat(json, is("{\"a\\\"b\":1}"));
  }

  @ParameterizedTest
  @CsvSource({
    "2025-01-24T10:30:00Z, 2025-01-24T10:30:00.000Z",
    "2025-01-24T10:30:00.5Z, 2025-01-24T10:30:00.500Z",
    "2025-01-24T10:30:00.123456789Z, 2025-01-24T10:30:00.123Z",
    "1970-01-01T00:00:00Z, 1970-01-01T00:00:00.000Z",
    "0001-02-03T04:05:06.007Z, 0001-02-03T04:05:06.007Z",
    "9999-12-31T23:59:59.999Z, 9999-12-31T23:59:59.999Z",
    "1969-12-31T23:59:59.999Z, 1969-12-31T23:59:59.999Z"
  })
  void writesInstantsInUtcWithMilliseconds(String instant, String expected) {
    assertThat(new JsonOut().value(Instant.parse(instant)).toString(), is("\"" + expected + "\""));
  }

  @Test
  void refusesInstantsLexiconCannotExpress() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new JsonOut().value(Instant.parse("+10000-01-01T00:00:00Z")));
    assertThrows(
        IllegalArgumentException.class,
        () -> new JsonOut().value(Instant.parse("-0001-01-01T00:00:00Z")));
  }

  @Test
  void writesNullForNullReferences() {
    String json =
        new JsonOut()
            .beginArray()
            .value((String) null)
            .value((Instant) null)
            .value((JsonWritable) null)
            .endArray()
            .toString();
    assertThat(json, is("[null,null,null]"));
  }

  @Test
  void writesNestedWritables() {
    JsonWritable point = out -> out.beginObject().name("x").value(1).endObject();
    String json = new JsonOut().beginArray().value(point).value(point).endArray().toString();
    assertThat(json, is("[{\"x\":1},{\"x\":1}]"));
    assertThat(JsonOut.toJson(point), is("{\"x\":1}"));
    assertThat(new String(JsonOut.toBytes(point), StandardCharsets.UTF_8), is("{\"x\":1}"));
  }

  @Test
  void nestsDeeperThanItsInitialStack() {
    JsonOut out = new JsonOut();
    for (int i = 0; i < 100; i++) {
      out.beginArray();
    }
    for (int i = 0; i < 100; i++) {
      out.endArray();
    }
    assertThat(out.toString(), is("[".repeat(100) + "]".repeat(100)));
  }

  @Test
  void refusesMisuse() {
    assertThrows(IllegalStateException.class, () -> new JsonOut().beginObject().value(1));
    assertThrows(IllegalStateException.class, () -> new JsonOut().name("a"));
    assertThrows(IllegalStateException.class, () -> new JsonOut().beginArray().name("a"));
    assertThrows(
        IllegalStateException.class, () -> new JsonOut().beginObject().name("a").name("b"));
    assertThrows(IllegalStateException.class, () -> new JsonOut().beginObject().endArray());
    assertThrows(IllegalStateException.class, () -> new JsonOut().beginArray().endObject());
    assertThrows(
        IllegalStateException.class, () -> new JsonOut().beginObject().name("a").endObject());
    assertThrows(IllegalStateException.class, () -> new JsonOut().value(1).value(2));
    assertThrows(IllegalStateException.class, () -> new JsonOut().toString());
    assertThrows(IllegalStateException.class, () -> new JsonOut().beginArray().toString());
  }

  @Test
  void refusesAWritableThatWritesNothingOrLeavesAContainerOpen() {
    assertThrows(IllegalStateException.class, () -> JsonOut.toJson(out -> {}));
    assertThrows(IllegalStateException.class, () -> JsonOut.toJson(out -> out.beginObject()));
    JsonOut inArray = new JsonOut().beginArray();
    assertThrows(IllegalStateException.class, () -> inArray.value(out -> {}));
  }

  @Test
  void roundTripsThroughAJsonParser() {
    String tricky = "\"\\\n\u0000\u2028💩\u00e9";
    String json = new JsonOut().beginObject().name("s").value(tricky).endObject().toString();
    var parsed = JsonBodies.parse(json.getBytes(StandardCharsets.UTF_8));
    assertThat(parsed.getString("s"), is(tricky));
    assertThat(List.copyOf(parsed.keySet()), is(List.of("s")));
  }

  @Test
  void writesJsonValuesAsTheyAre() {
    String text = "{\"a\":[1,2.50,-3E+2,\"s\\\"q\",true,false,null],\"b\":{},\"c\":{\"d\":[]}}";
    jakarta.json.JsonObject parsed =
        jakarta.json.Json.createReader(new java.io.StringReader(text)).readObject();
    String written = new JsonOut().value((jakarta.json.JsonValue) parsed).toString();
    assertThat(written, is(text));
    assertThat(new JsonOut().value((jakarta.json.JsonValue) null).toString(), is("null"));
  }
}
