package dev.atpkeyserver.did;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Base58Test {

  @Test
  void encodesKnownValues() {
    assertThat(Base58.encode(ascii("Hello World!")), equalTo("2NEpo7TZRRrLZSi2U"));
    assertThat(Base58.encode(ascii("yes mani !")), equalTo("7paNL19xttacUY"));
    assertThat(Base58.encode(new byte[0]), equalTo(""));
  }

  @Test
  void keepsLeadingZeroBytesAsOnes() {
    byte[] bytes = {0, 0, 1, 2};

    assertThat(Base58.encode(bytes), equalTo("115T"));
    assertThat(Base58.decode("115T"), equalTo(bytes));
    assertThat(Base58.decode("111"), equalTo(new byte[3]));
  }

  @Test
  void decodesWhatItEncodes() {
    Random random = new Random(42);
    for (int length = 0; length < 70; length++) {
      byte[] bytes = new byte[length];
      random.nextBytes(bytes);
      if (length > 3) {
        bytes[0] = 0; // exercise leading zeros too
      }
      assertThat(Base58.decode(Base58.encode(bytes)), equalTo(bytes));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "O", "I", "l", "abc+", "é"})
  void refusesCharactersOutsideTheAlphabet(String text) {
    assertThrows(IllegalArgumentException.class, () -> Base58.decode(text));
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
