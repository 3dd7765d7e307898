package dev.atpkeyserver.xrpc;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.DateTimeException;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class LexiconFormatsTest {

  static Stream<String> validDids() {
    return Vectors.lines("did_syntax_valid.txt");
  }

  static Stream<String> invalidDids() {
    return Vectors.lines("did_syntax_invalid.txt");
  }

  static Stream<String> validNsids() {
    return Vectors.lines("nsid_syntax_valid.txt");
  }

  static Stream<String> invalidNsids() {
    return Vectors.lines("nsid_syntax_invalid.txt");
  }

  static Stream<String> validDatetimes() {
    return Vectors.lines("datetime_syntax_valid.txt");
  }

  static Stream<String> invalidDatetimes() {
    return Vectors.lines("datetime_syntax_invalid.txt");
  }

  static Stream<String> validHandles() {
    return Vectors.lines("handle_syntax_valid.txt");
  }

  static Stream<String> invalidHandles() {
    return Vectors.lines("handle_syntax_invalid.txt");
  }

  @ParameterizedTest
  @MethodSource("validDids")
  void acceptsInteropValidDids(String did) {
    assertThat(LexiconFormats.isValidDid(did), is(true));
  }

  @ParameterizedTest
  @MethodSource("invalidDids")
  void refusesInteropInvalidDids(String did) {
    assertThat(LexiconFormats.isValidDid(did), is(false));
  }

  @Test
  void limitsDidsTo2048Characters() {
    String prefix = "did:plc:";
    assertThat(LexiconFormats.isValidDid(prefix + "a".repeat(2048 - prefix.length())), is(true));
    assertThat(LexiconFormats.isValidDid(prefix + "a".repeat(2049 - prefix.length())), is(false));
    assertThat(LexiconFormats.isValidDid(null), is(false));
    assertThat(LexiconFormats.isValidDid("did:plc"), is(false));
    assertThat(LexiconFormats.isValidDid("did::abc"), is(false));
  }

  @ParameterizedTest
  @MethodSource("validNsids")
  void acceptsInteropValidNsids(String nsid) {
    assertThat(LexiconFormats.isValidNsid(nsid), is(true));
  }

  @ParameterizedTest
  @MethodSource("invalidNsids")
  void refusesInteropInvalidNsids(String nsid) {
    assertThat(LexiconFormats.isValidNsid(nsid), is(false));
  }

  @Test
  void acceptsTheKeyserversOwnNsids() {
    assertThat(LexiconFormats.isValidNsid("dev.atpkeyserver.alpha.keypair.getPublicKey"), is(true));
    assertThat(LexiconFormats.isValidNsid("dev.atpkeyserver.alpha.defs"), is(true));
  }

  @ParameterizedTest
  @MethodSource("validDatetimes")
  void acceptsInteropValidDatetimes(String datetime) {
    assertThat(LexiconFormats.isValidDatetime(datetime), is(true));
  }

  @ParameterizedTest
  @MethodSource("invalidDatetimes")
  void refusesInteropInvalidDatetimes(String datetime) {
    assertThat(LexiconFormats.isValidDatetime(datetime), is(false));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "2023-02-30T00:00:00Z",
        "2023-13-01T00:00:00Z",
        "2023-00-01T00:00:00Z",
        "2023-01-00T00:00:00Z",
        "2023-01-01T24:00:00Z",
        "2023-01-01T23:60:00Z",
        "2023-01-01T23:59:60Z",
        "2023-01-01T00:00:00+19:00",
        "9999-12-31T23:00:00-02:00",
        "2023-01-01T00:00:00.123456789012345678901Z"
      })
  void refusesDatetimesThatDoNotExist(String datetime) {
    assertThat(LexiconFormats.isValidDatetime(datetime), is(false));
    assertThrows(DateTimeException.class, () -> LexiconFormats.parseDatetime(datetime));
  }

  @ParameterizedTest
  @CsvSource({
    "2025-01-24T10:30:00.000Z, 2025-01-24T10:30:00Z",
    "2025-01-24T10:30:00Z, 2025-01-24T10:30:00Z",
    "2025-01-24T10:30:00.1Z, 2025-01-24T10:30:00.100Z",
    "2025-01-24T10:30:00.123456789123Z, 2025-01-24T10:30:00.123456789Z",
    "2025-01-24T12:30:00.5+02:00, 2025-01-24T10:30:00.500Z",
    "2025-01-24T03:00:00-07:30, 2025-01-24T10:30:00Z",
    "0000-01-01T00:30:00+00:00, 0000-01-01T00:30:00Z"
  })
  void parsesDatetimesToTheInstantTheyDenote(String datetime, String instant) {
    assertThat(LexiconFormats.parseDatetime(datetime), is(Instant.parse(instant)));
  }

  @ParameterizedTest
  @MethodSource("validHandles")
  void acceptsInteropValidHandles(String handle) {
    assertThat(LexiconFormats.isValidHandle(handle), is(true));
    assertThat(LexiconFormats.isValidAtIdentifier(handle), is(true));
  }

  @ParameterizedTest
  @MethodSource("invalidHandles")
  void refusesInteropInvalidHandles(String handle) {
    assertThat(LexiconFormats.isValidHandle(handle), is(false));
  }

  @Test
  void atIdentifiersAreHandlesOrDids() {
    assertThat(LexiconFormats.isValidAtIdentifier("did:plc:7iza6de2dwap2sbkpav7c6c6"), is(true));
    assertThat(LexiconFormats.isValidAtIdentifier("alice.example.com"), is(true));
    assertThat(LexiconFormats.isValidAtIdentifier("did:thing.test"), is(false));
    assertThat(LexiconFormats.isValidAtIdentifier("alice"), is(false));
    assertThat(LexiconFormats.isValidAtIdentifier(null), is(false));
  }

  @Test
  void stringFormatsDelegateToTheChecks() {
    assertThat(StringFormat.DID.isValid("did:web:example.com"), is(true));
    assertThat(StringFormat.DID.isValid("example.com"), is(false));
    assertThat(StringFormat.NSID.isValid("a.b.c"), is(true));
    assertThat(StringFormat.DATETIME.isValid("2025-01-24T10:30:00.000Z"), is(true));
    assertThat(StringFormat.HANDLE.isValid("a.co"), is(true));
    assertThat(StringFormat.AT_IDENTIFIER.isValid("a.co"), is(true));
    assertThat(StringFormat.AT_IDENTIFIER.lexiconName(), is("at-identifier"));
    assertThat(StringFormat.DID.label(), is("DID"));
  }
}
