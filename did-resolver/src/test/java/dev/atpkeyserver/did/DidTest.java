package dev.atpkeyserver.did;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class DidTest {

  static List<String> validVectors() {
    return Vectors.lines("did_syntax_valid.txt");
  }

  static List<String> invalidVectors() {
    return Vectors.lines("did_syntax_invalid.txt");
  }

  @Test
  void vectorFilesAreNotEmpty() {
    assertThat(validVectors().size(), greaterThan(20));
    assertThat(invalidVectors().size(), greaterThan(15));
  }

  @ParameterizedTest
  @MethodSource("validVectors")
  void parsesEveryValidVectorAndPrintsItBack(String text) throws MalformedDidException {
    Did did = Did.parse(text);

    assertThat(did.toString(), equalTo(text));
    assertThat(Did.isValidSyntax(text), is(true));
  }

  @ParameterizedTest
  @MethodSource("invalidVectors")
  void refusesEveryInvalidVector(String text) {
    assertThrows(MalformedDidException.class, () -> Did.parse(text));
    assertThat(Did.isValidSyntax(text), is(false));
  }

  @Test
  void splitsMethodAndIdentifierAtTheFirstColonAfterDid() throws MalformedDidException {
    Did did = Did.parse("did:method:val:two");

    assertThat(did.method(), equalTo("method"));
    assertThat(did.identifier(), equalTo("val:two"));
  }

  @Test
  void recognisesPlcAndWeb() throws MalformedDidException {
    Did plc = Did.parse("did:plc:ewvi7nxzyoun6zhxrhs64oiz");
    Did web = Did.parse("did:web:example.com");
    Did key = Did.parse("did:key:zQ3shZc2QzApp2oymGvQbzP8eKheVshBHbU4ZYjeXqwSKEn6N");

    assertThat(plc.isPlc(), is(true));
    assertThat(plc.isWeb(), is(false));
    assertThat(web.isWeb(), is(true));
    assertThat(web.isPlc(), is(false));
    assertThat(key.isPlc() || key.isWeb(), is(false));
  }

  @ParameterizedTest
  @ValueSource(strings = {"did:plc:abc123", "did:plc:xyz789", "did:plc:ewvi7nxzyoun6zhxrhs64oizz"})
  void acceptsPlcIdentifiersOfAnyLengthLikeTheOfficialSyntax(String text) throws Exception {
    assertThat(Did.parse(text).isPlc(), is(true));
  }

  @Test
  void acceptsExactly2048Characters() {
    String prefix = "did:method:";
    String longest = prefix + "v".repeat(Did.MAX_LENGTH - prefix.length());

    assertThat(Did.isValidSyntax(longest), is(true));
    assertThat(Did.isValidSyntax(longest + "v"), is(false));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"did:method:a%zz", "did:method:a%2", "did:method:a%2:b", "did:method:%g0"})
  void refusesPercentNotFollowedByTwoHexDigits(String text) {
    assertThat(Did.isValidSyntax(text), is(false));
  }

  @Test
  void acceptsPercentEscapes() {
    assertThat(Did.isValidSyntax("did:web:localhost%3A2583"), is(true));
    assertThat(Did.isValidSyntax("did:method:a%2fb%2F"), is(true));
  }

  @Test
  void refusesNull() {
    assertThrows(MalformedDidException.class, () -> Did.parse(null));
    assertThat(Did.isValidSyntax(null), is(false));
  }

  @Test
  void errorMessageDoesNotRepeatTheInput() {
    String hostile = "did:method:<script>alert(1)</script>";

    MalformedDidException e = assertThrows(MalformedDidException.class, () -> Did.parse(hostile));

    assertThat(e.getMessage(), not(containsString("script")));
  }

  @Test
  void constructorRefusesPartsThatDoNotFormADid() {
    assertThrows(IllegalArgumentException.class, () -> new Did("PLC", "abc"));
    assertThrows(IllegalArgumentException.class, () -> new Did("plc", "abc:"));
    assertThrows(IllegalArgumentException.class, () -> new Did("web", ""));
  }

  @Test
  void equalDidsAreEqualAndHashAlike() throws MalformedDidException {
    assertThat(Did.parse("did:web:example.com"), equalTo(new Did("web", "example.com")));
    assertThat(
        Did.parse("did:web:example.com").hashCode(),
        equalTo(new Did("web", "example.com").hashCode()));
    assertThat(new Did("web", "example.com").toString(), equalTo("did:web:example.com"));
    assertThat(Did.parse("did:web:example.com"), not(equalTo(Did.parse("did:web:example.org"))));
  }
}
