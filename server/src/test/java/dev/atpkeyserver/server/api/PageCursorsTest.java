package dev.atpkeyserver.server.api;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.atpkeyserver.server.accesslog.LogPosition;
import dev.atpkeyserver.server.api.PageCursors.Kind;
import dev.atpkeyserver.xrpc.ErrorKind;
import dev.atpkeyserver.xrpc.KeyserverException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The cursor format: round trips, and a 400 "Invalid cursor" for anything that is not ours. */
class PageCursorsTest {

  private static final LogPosition POSITION =
      new LogPosition(Instant.parse("2026-11-30T10:00:00.123456Z"), 42);

  @Test
  void roundTripsEveryKind() {
    String logs = PageCursors.ofLogs(POSITION);
    String keypair = PageCursors.ofVersion(Kind.KEYPAIR_VERSIONS, 7);
    String group = PageCursors.ofVersion(Kind.GROUP_VERSIONS, 7);

    assertThat(PageCursors.logPosition(Optional.of(logs)), equalTo(Optional.of(POSITION)));
    assertThat(
        PageCursors.version(Kind.KEYPAIR_VERSIONS, Optional.of(keypair)), equalTo(Optional.of(7)));
    assertThat(
        PageCursors.version(Kind.GROUP_VERSIONS, Optional.of(group)), equalTo(Optional.of(7)));
    assertThat(PageCursors.logPosition(Optional.empty()), equalTo(Optional.empty()));
    // Short, URL-safe, and the same for the same position (nothing random or secret in it).
    assertThat(logs.length(), equalTo(35));
    assertThat(logs.matches("[A-Za-z0-9_-]+"), equalTo(true));
    assertThat(PageCursors.ofLogs(POSITION), equalTo(logs));
  }

  @Test
  void keepsNanosecondsAndTheExtremes() {
    LogPosition nanos = new LogPosition(Instant.parse("2026-01-01T00:00:00.999999999Z"), 1);
    LogPosition epoch = new LogPosition(Instant.EPOCH, Long.MAX_VALUE);

    assertThat(logs(PageCursors.ofLogs(nanos)), equalTo(nanos));
    assertThat(logs(PageCursors.ofLogs(epoch)), equalTo(epoch));
    assertThat(
        PageCursors.version(
            Kind.GROUP_VERSIONS,
            Optional.of(PageCursors.ofVersion(Kind.GROUP_VERSIONS, Integer.MAX_VALUE))),
        equalTo(Optional.of(Integer.MAX_VALUE)));
  }

  @Test
  void refusesGarbage() {
    for (String garbage :
        new String[] {"", "x", "-1", "0", "!!!!", "AQ", "not a cursor", "a".repeat(65), "%00"}) {
      assertInvalid(() -> logs(garbage));
      assertInvalid(() -> version(Kind.KEYPAIR_VERSIONS, garbage));
    }
  }

  @Test
  void refusesACursorOfAnotherMethod() {
    String logs = PageCursors.ofLogs(POSITION);
    String keypair = PageCursors.ofVersion(Kind.KEYPAIR_VERSIONS, 3);
    String group = PageCursors.ofVersion(Kind.GROUP_VERSIONS, 3);

    assertInvalid(() -> logs(keypair));
    assertInvalid(() -> logs(group));
    assertInvalid(() -> version(Kind.KEYPAIR_VERSIONS, logs));
    assertInvalid(() -> version(Kind.KEYPAIR_VERSIONS, group));
    assertInvalid(() -> version(Kind.GROUP_VERSIONS, keypair));
    // Same length as a version cursor, right checksum, but the other kind's tag.
    assertInvalid(
        () -> version(Kind.GROUP_VERSIONS, forge(1, 2, ByteBuffer.allocate(4).putInt(3))));
  }

  @Test
  void refusesEveryAlteredByteTruncationAndExtension() {
    String cursor = PageCursors.ofLogs(POSITION);
    byte[] bytes = Base64.getUrlDecoder().decode(cursor);
    for (int i = 0; i < bytes.length; i++) {
      for (int bit = 0; bit < 8; bit++) {
        byte[] altered = bytes.clone();
        altered[i] ^= (byte) (1 << bit);
        assertInvalid(() -> logs(encode(altered)));
      }
    }
    assertInvalid(() -> logs(cursor.substring(0, cursor.length() - 1)));
    assertInvalid(() -> logs(cursor + "A"));
    assertInvalid(() -> logs(cursor + "="));
  }

  @Test
  void refusesNonCanonicalBase64() {
    // Two bytes of a version cursor's last group end in unused bits; setting one decodes to the
    // same bytes but is not the encoding the server produced.
    String cursor = PageCursors.ofVersion(Kind.KEYPAIR_VERSIONS, 3);
    char last = cursor.charAt(cursor.length() - 1);
    String alias = cursor.substring(0, cursor.length() - 1) + (char) (last + 1);
    assertThat(
        Base64.getUrlDecoder().decode(alias), equalTo(Base64.getUrlDecoder().decode(cursor)));

    assertInvalid(() -> version(Kind.KEYPAIR_VERSIONS, alias));
    assertInvalid(() -> version(Kind.KEYPAIR_VERSIONS, cursor + "=="));
    assertInvalid(() -> version(Kind.KEYPAIR_VERSIONS, " " + cursor));
  }

  @Test
  void refusesWellFormedCursorsWithImpossibleNumbers() {
    // Checksums are right: only the range checks stand between these and the database.
    assertInvalid(
        () -> version(Kind.KEYPAIR_VERSIONS, forge(1, 2, ByteBuffer.allocate(4).putInt(-1))));
    assertInvalid(
        () -> version(Kind.GROUP_VERSIONS, forge(1, 3, ByteBuffer.allocate(4).putInt(0))));
    assertInvalid(() -> logs(forgeLogs(-1, 0, 5)));
    assertInvalid(() -> logs(forgeLogs(1_000, -1, 5)));
    assertInvalid(() -> logs(forgeLogs(1_000, 1_000_000_000, 5)));
    assertInvalid(() -> logs(forgeLogs(1_000, 0, 0)));
    assertInvalid(() -> logs(forgeLogs(1_000, 0, -7)));
    assertInvalid(() -> logs(forgeLogs(Long.MAX_VALUE, 0, 5)));
    // After 9999-12-31: a valid instant, but beyond what the databases store.
    assertInvalid(() -> logs(forgeLogs(253_402_300_800L, 0, 5)));
    // An unknown format version, well formed otherwise.
    assertInvalid(
        () -> version(Kind.KEYPAIR_VERSIONS, forge(2, 2, ByteBuffer.allocate(4).putInt(3))));
    // And the forging itself is right: with sane numbers the same bytes are accepted.
    assertThat(
        logs(forgeLogs(1_000, 5, 9)), equalTo(new LogPosition(Instant.ofEpochSecond(1_000, 5), 9)));
  }

  private static LogPosition logs(String cursor) {
    return PageCursors.logPosition(Optional.of(cursor)).orElseThrow();
  }

  private static int version(Kind kind, String cursor) {
    return PageCursors.version(kind, Optional.of(cursor)).orElseThrow();
  }

  private static String forgeLogs(long second, int nano, long id) {
    return forge(1, 1, ByteBuffer.allocate(20).putLong(second).putInt(nano).putLong(id));
  }

  /** A cursor built from the documented format, independently of the class under test. */
  // Every position buffer here comes from ByteBuffer.allocate: the backing array is all of it.
  @SuppressWarnings("ByteBufferBackingArray")
  private static String forge(int format, int kind, ByteBuffer position) {
    byte[] body = position.array();
    ByteBuffer bytes = ByteBuffer.allocate(2 + body.length + 4);
    bytes.put((byte) format).put((byte) kind).put(body);
    CRC32C crc = new CRC32C();
    crc.update(bytes.array(), 0, 2 + body.length);
    bytes.putInt((int) crc.getValue());
    return encode(bytes.array());
  }

  private static String encode(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static void assertInvalid(Executable decode) {
    KeyserverException e = assertThrows(KeyserverException.class, decode);
    assertThat(e.kind(), equalTo(ErrorKind.BAD_REQUEST));
    assertThat(e.safeMessage(), equalTo("Invalid cursor"));
  }
}
