package dev.atpkeyserver.did;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MultibaseTest {

  private static final byte[] YES_MANI = "yes mani !".getBytes(StandardCharsets.US_ASCII);

  /** The multibase specification's "yes mani !" vectors, one per supported prefix. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "f796573206d616e692021",
        "F796573206D616E692021",
        "bpfsxgidnmfxgsibb",
        "BPFSXGIDNMFXGSIBB",
        "z7paNL19xttacUY",
        "meWVzIG1hbmkgIQ",
        "ueWVzIG1hbmkgIQ",
        "UeWVzIG1hbmkgIQ=="
      })
  void decodesEverySupportedBase(String text) {
    assertThat(Multibase.decode(text), equalTo(YES_MANI));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "", // no prefix
        "Q796573", // unknown prefix
        "f7965732", // odd number of hex digits
        "fzz", // not hex
        "f796573206D616E692021", // uppercase under the lowercase prefix
        "meWVzIG1hbmkgIR", // non-zero padding bits
        "m!!!!"
      })
  void refusesInvalidText(String text) {
    assertThrows(IllegalArgumentException.class, () -> Multibase.decode(text));
  }
}
