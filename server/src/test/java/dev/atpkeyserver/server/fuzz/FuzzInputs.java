package dev.atpkeyserver.server.fuzz;

import dev.atpkeyserver.server.testing.SharedVectors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Generators of hostile input. Requests are built as "byte strings" (one char per byte, sent as
 * ISO-8859-1), so a generator can produce raw UTF-8, invalid UTF-8 and control bytes alike.
 */
final class FuzzInputs {

  private FuzzInputs() {}

  /** The UTF-8 bytes of {@code text} as a byte string. */
  static String utf8(String text) {
    return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
  }

  /**
   * {@code text} with raw CR and LF bytes percent-encoded. A raw line break inside the request line
   * is HTTP framing, not a query value: Helidon 4.1.7 closes such a connection without answering
   * (no 5xx, but no contract body either; docs/architecture.md, "Fuzzing"). The encoded forms are
   * still sent, and everything else goes raw.
   */
  static String withoutLineBreaks(String rawBytes) {
    return rawBytes.replace("\r", "%0D").replace("\n", "%0A");
  }

  /** {@code text} percent-encoded as a query value. */
  static String encoded(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  // ---- text -----------------------------------------------------------------------------------

  /** Any Unicode text, including unpaired surrogates, controls and non-characters. */
  static Arbitrary<String> unicode() {
    return Arbitraries.strings().all().ofMaxLength(40);
  }

  /** Characters that mean something in URLs, DIDs, group ids or JSON. */
  static Arbitrary<String> punctuated() {
    return Arbitraries.strings()
        .withChars("%#&=+;:/?@.~_-\\\"' \t{}[]\u0000\u0001\u007f\u00e9\u200b\ufeff")
        .alpha()
        .numeric()
        .ofMaxLength(30);
  }

  /** Broken and surprising percent-escapes. */
  static Arbitrary<String> percentGarbage() {
    return Arbitraries.of(
        "%",
        "%2",
        "%zz",
        "%C3%28",
        "%00",
        "%FF%FE",
        "%E2%82",
        "%ED%A0%80",
        "%25",
        "%%",
        "%u0041",
        "%3A",
        "%23",
        "+",
        "%2B",
        "%0D%0A",
        "%7F",
        "%C0%AF");
  }

  /** Integers as text, well and badly formed, small and huge. */
  static Arbitrary<String> numbers() {
    return Arbitraries.oneOf(
        Arbitraries.longs().map(String::valueOf),
        Arbitraries.bigIntegers()
            .between(java.math.BigInteger.TEN.pow(18), java.math.BigInteger.TEN.pow(40))
            .map(String::valueOf),
        Arbitraries.of(
            "0",
            "1",
            "2",
            "-1",
            "1000",
            "1001",
            "2147483647",
            "2147483648",
            "-2147483649",
            "9223372036854775808",
            "1e3",
            "1.0",
            "0x10",
            " 1",
            "1 ",
            "01",
            "+1",
            "١",
            "NaN",
            ""));
  }

  // ---- request targets ------------------------------------------------------------------------

  /**
   * Request targets under {@code /xrpc/} as byte strings: {@code /xrpc/} followed by up to four
   * pieces (known NSIDs, empty, dots, slashes, percent-escapes, unicode raw and encoded, long
   * names), sometimes a query. Raw spaces, CR and LF are percent-encoded: in a request line they
   * are framing, not path (see {@link #withoutLineBreaks}).
   */
  static Arbitrary<String> xrpcTargets(List<String> knownNsids) {
    Arbitrary<String> pieces =
        Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(4, Arbitraries.of(knownNsids)),
            net.jqwik.api.Tuple.of(
                4,
                Arbitraries.of(
                    "",
                    ".",
                    "..",
                    "/",
                    "//",
                    "./",
                    "../",
                    "...",
                    "-",
                    "a",
                    "a.b",
                    "a..b",
                    ".a",
                    "a.",
                    "com.example.nothing",
                    "%2e",
                    "%2E%2e",
                    "%2f",
                    "%2F%2F",
                    "%5c",
                    "\\",
                    "%00",
                    "%",
                    "%zz",
                    ";",
                    ";a=b",
                    "~",
                    "*",
                    "@",
                    ":",
                    "%3A",
                    "#",
                    "#frag",
                    "%23",
                    "+",
                    "%20",
                    "%C3%A9",
                    "%ED%A0%80",
                    "%FF")),
            net.jqwik.api.Tuple.of(2, percentGarbage()),
            net.jqwik.api.Tuple.of(2, unicode().map(FuzzInputs::utf8)),
            net.jqwik.api.Tuple.of(2, unicode().map(FuzzInputs::encoded)),
            net.jqwik.api.Tuple.of(2, punctuated().map(FuzzInputs::utf8)),
            net.jqwik.api.Tuple.of(
                1,
                Combinators.combine(
                        Arbitraries.of("a", ".", "%2e", "é", "\ud83d\ude00", "a."),
                        Arbitraries.of(100, 1000, 2000, 3000, 9000))
                    .as((c, n) -> utf8(c.repeat(n)))));
    Arbitrary<String> path =
        pieces.list().ofMinSize(0).ofMaxSize(4).map(parts -> String.join("", parts));
    Arbitrary<String> query =
        Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(4, Arbitraries.just("")),
            net.jqwik.api.Tuple.of(1, Arbitraries.of("?", "?x=1", "?did=%3A", "??", "?%")));
    return Combinators.combine(Arbitraries.of("/xrpc/", "/xrpc", "/xrpc//"), path, query)
        .as((prefix, p, q) -> requestTarget(prefix + p + q));
  }

  /** {@code raw} with the bytes that end a request target (space, CR, LF) percent-encoded. */
  private static String requestTarget(String raw) {
    return withoutLineBreaks(raw).replace(" ", "%20");
  }

  // ---- identifiers ----------------------------------------------------------------------------

  private static List<String> vectors(String name) {
    try {
      return Files.readAllLines(SharedVectors.dir().resolve(name)).stream()
          .map(String::strip)
          .filter(line -> !line.isEmpty() && !line.startsWith("#"))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** DIDs: the shared syntax vectors, real users' DIDs, and mutations of all of them. */
  static Arbitrary<String> dids(List<String> knownDids) {
    List<String> seeds = new ArrayList<>(knownDids);
    seeds.addAll(vectors("did_syntax_valid.txt"));
    seeds.addAll(vectors("did_syntax_invalid.txt"));
    seeds.addAll(
        List.of(
            "did:plc:ewvi7nxzyoun6zhxrhs64oiz",
            "did:web:example.com",
            "did:web:localhost%3A4000",
            "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"));
    Arbitrary<String> seed = Arbitraries.of(seeds);
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(3, seed),
        net.jqwik.api.Tuple.of(7, Combinators.combine(seed, mutations()).as(Mutation::apply)));
  }

  /** Group ids: owner DIDs (and mutations) joined to names (and mutations) by '#' (or not). */
  static Arbitrary<String> groupIds(List<String> knownDids, String knownGroup) {
    Arbitrary<String> names =
        Arbitraries.oneOf(
            Arbitraries.strings().withChars("ABCXYZabcxyz0189._~-").ofMinLength(0).ofMaxLength(102),
            punctuated(),
            unicode());
    Arbitrary<String> joined =
        Combinators.combine(
                dids(knownDids), Arbitraries.of("#", "", "##", "%23", "#a#", "#"), names)
            .as((did, hash, name) -> did + hash + name);
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(1, Arbitraries.just(knownGroup)),
        net.jqwik.api.Tuple.of(
            3, Combinators.combine(Arbitraries.just(knownGroup), mutations()).as(Mutation::apply)),
        net.jqwik.api.Tuple.of(6, joined));
  }

  /** One change to an identifier. */
  interface Mutation {
    String mutate(String value);

    static String apply(String value, Mutation mutation) {
      return mutation.mutate(value);
    }
  }

  static Arbitrary<Mutation> mutations() {
    Arbitrary<String> inserts =
        Arbitraries.oneOf(
            Arbitraries.of(
                "#",
                "%",
                "%3A",
                "%23",
                ":",
                "?",
                "/",
                " ",
                "\u0000",
                "\u0001",
                "\n",
                "\u007f",
                "\u200b",
                "\ufeff",
                "é",
                "中",
                "\ud83d\ude00",
                "\ud800",
                "ǅ"),
            punctuated());
    return Arbitraries.oneOf(
        Combinators.combine(inserts, Arbitraries.integers().between(0, 100))
            .as(
                (insert, at) ->
                    value -> {
                      int i = Math.min(at, value.length());
                      return value.substring(0, i) + insert + value.substring(i);
                    }),
        Arbitraries.integers()
            .between(0, 100)
            .map(at -> value -> value.substring(0, Math.min(at, value.length()))),
        Arbitraries.of(2040, 2047, 2048, 2049, 2149, 2150, 3000, 6000)
            .map(length -> value -> value + "a".repeat(Math.max(0, length - value.length()))),
        Arbitraries.of(
            (Mutation) String::toUpperCase,
            value -> value.replace(":", "%3A"),
            value -> value.replace("did:", "DID:"),
            value -> " " + value + " ",
            value -> value + "#",
            value -> "#" + value,
            value -> value.replace(':', '\u0000')));
  }

  // ---- JSON -----------------------------------------------------------------------------------

  /** A JSON string literal for {@code text}, escaped as a strict writer would. */
  static String jsonString(String text) {
    StringBuilder out = new StringBuilder("\"");
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  /** JSON scalars, including numbers no Java type holds. */
  static Arbitrary<String> jsonScalars() {
    return Arbitraries.oneOf(
        Arbitraries.of(
            "null",
            "true",
            "false",
            "0",
            "-0",
            "1e400",
            "-1e400",
            "1E-400",
            "123456789012345678901234567890",
            "0.5",
            "2",
            "\"\"",
            "\"\\u0000\"",
            "\"\\ud800\"",
            "\"DELETE_ALL_MY_DATA \""),
        numbers().filter(n -> n.matches("-?[0-9]+")),
        unicode().map(FuzzInputs::jsonString),
        punctuated().map(FuzzInputs::jsonString));
  }

  /** Any JSON value up to a few levels deep, with duplicate and unknown keys. */
  static Arbitrary<String> jsonValues(
      int depth, List<String> fieldNames, Arbitrary<String> strings) {
    Arbitrary<String> scalar =
        Arbitraries.oneOf(jsonScalars(), strings.map(FuzzInputs::jsonString));
    if (depth == 0) {
      return scalar;
    }
    Arbitrary<String> inner = jsonValues(depth - 1, fieldNames, strings);
    Arbitrary<String> keys =
        Arbitraries.oneOf(Arbitraries.of(fieldNames), unicode(), Arbitraries.just(""));
    Arbitrary<String> array =
        inner.list().ofMaxSize(4).map(items -> "[" + String.join(",", items) + "]");
    Arbitrary<String> object =
        Combinators.combine(keys, inner)
            .as((key, value) -> jsonString(key) + ":" + value)
            .list()
            .ofMaxSize(5)
            .map(members -> "{" + String.join(",", members) + "}");
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(3, scalar),
        net.jqwik.api.Tuple.of(2, array),
        net.jqwik.api.Tuple.of(4, object));
  }

  /** Nesting far deeper than any body needs. */
  static Arbitrary<String> deeplyNested() {
    return Arbitraries.of(100, 1000, 5000, 20000)
        .flatMap(
            depth ->
                Arbitraries.of(
                    "[".repeat(depth) + "]".repeat(depth),
                    "{\"reason\":".repeat(depth) + "1" + "}".repeat(depth),
                    "[".repeat(depth)));
  }

  /** Damage to a well-formed body: cut short, or with invalid UTF-8 bytes spliced in. */
  static Arbitrary<String> damaged(Arbitrary<String> bodies) {
    Arbitrary<String> badBytes =
        Arbitraries.of(
            "\u00c3", "\u00ff", "\u0080", "\u00ed\u00a0\u0080", "\u00c0\u00af", "\u0000");
    return Arbitraries.oneOf(
        Combinators.combine(bodies, Arbitraries.integers().between(0, 200))
            .as((body, at) -> body.substring(0, Math.min(at, body.length()))),
        Combinators.combine(bodies, badBytes, Arbitraries.integers().between(0, 200))
            .as(
                (body, bad, at) -> {
                  int i = Math.min(at, body.length());
                  return body.substring(0, i) + bad + body.substring(i);
                }));
  }

  /** Random bytes. */
  static Arbitrary<String> bytes() {
    return Arbitraries.bytes()
        .array(byte[].class)
        .ofMaxSize(200)
        .map(b -> new String(b, StandardCharsets.ISO_8859_1));
  }
}
