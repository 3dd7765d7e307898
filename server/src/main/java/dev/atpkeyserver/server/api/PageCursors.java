package dev.atpkeyserver.server.api;

import dev.atpkeyserver.server.accesslog.LogPosition;
import dev.atpkeyserver.xrpc.ErrorKind;
import dev.atpkeyserver.xrpc.KeyserverException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * The {@code cursor} strings of the paginated methods: base64url (no padding) of a small versioned
 * structure that holds a position and nothing else.
 *
 * <pre>
 * byte 0      format, 1
 * byte 1      kind: 1 accessLogs.getLogs, 2 keypair.listVersions, 3 group.listVersions
 * bytes 2..   the position: getLogs accessed_at (epoch second: 8, nano: 4) and row id (8);
 *             listVersions the last version returned (4); big-endian
 * last 4      CRC-32C of the bytes before it
 * </pre>
 *
 * <p>A cursor never names an owner or group: every page is read for the authenticated caller (or
 * the group they were authorised for), so a cursor, even a forged one, can only choose where in the
 * caller's own listing a page starts. The check value is therefore integrity, not a signature: it
 * turns an edited, truncated or mixed-up cursor into a 400 instead of a silently different page.
 * Decoding is strict: canonical base64url only, exact length, the expected kind, positive numbers;
 * anything else is {@code 400 "Invalid cursor"}.
 */
public final class PageCursors {

  /** Which listing a cursor belongs to; a cursor of one is refused by the others. */
  public enum Kind {
    ACCESS_LOGS(1, 20),
    KEYPAIR_VERSIONS(2, 4),
    GROUP_VERSIONS(3, 4);

    private final byte tag;
    private final int positionBytes;

    Kind(int tag, int positionBytes) {
      this.tag = (byte) tag;
      this.positionBytes = positionBytes;
    }

    private int length() {
      return HEADER + positionBytes + CHECK;
    }
  }

  private static final byte FORMAT = 1;
  private static final int HEADER = 2;
  private static final int CHECK = 4;
  // The longest cursor this format produces is 35 characters; anything much longer is not ours.
  private static final int MAX_CHARS = 64;
  // 9999-12-31T23:59:59Z: later instants exist in Java but not in both databases' timestamps.
  private static final long MAX_EPOCH_SECOND = 253_402_300_799L;
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

  private PageCursors() {}

  /** The cursor of the getLogs page that continues after {@code position}. */
  public static String ofLogs(LogPosition position) {
    Instant accessedAt = position.accessedAt();
    ByteBuffer buffer = start(Kind.ACCESS_LOGS);
    buffer.putLong(accessedAt.getEpochSecond()).putInt(accessedAt.getNano()).putLong(position.id());
    return finish(buffer);
  }

  /**
   * The position a getLogs cursor continues after.
   *
   * @throws KeyserverException {@code BAD_REQUEST "Invalid cursor"} unless it is a getLogs cursor
   */
  public static Optional<LogPosition> logPosition(Optional<String> cursor) {
    return cursor.map(
        text -> {
          ByteBuffer buffer = open(text, Kind.ACCESS_LOGS);
          long second = buffer.getLong();
          int nano = buffer.getInt();
          long id = buffer.getLong();
          if (second < 0 || second > MAX_EPOCH_SECOND || nano < 0 || nano > 999_999_999 || id < 1) {
            throw invalid();
          }
          return new LogPosition(Instant.ofEpochSecond(second, nano), id);
        });
  }

  /** The cursor of the listVersions page that continues after (below) {@code version}. */
  public static String ofVersion(Kind kind, int version) {
    ByteBuffer buffer = start(kind);
    buffer.putInt(version);
    return finish(buffer);
  }

  /**
   * The version a listVersions cursor of {@code kind} continues below.
   *
   * @throws KeyserverException {@code BAD_REQUEST "Invalid cursor"} unless it is such a cursor
   */
  public static Optional<Integer> version(Kind kind, Optional<String> cursor) {
    return cursor.map(
        text -> {
          int version = open(text, kind).getInt();
          if (version < 1) {
            throw invalid();
          }
          return version;
        });
  }

  private static ByteBuffer start(Kind kind) {
    return ByteBuffer.allocate(kind.length()).put(FORMAT).put(kind.tag);
  }

  // Every buffer comes from start(), ByteBuffer.allocate: the backing array is the whole cursor.
  @SuppressWarnings("ByteBufferBackingArray")
  private static String finish(ByteBuffer buffer) {
    byte[] bytes = buffer.array();
    buffer.putInt(check(bytes, bytes.length - CHECK));
    return ENCODER.encodeToString(bytes);
  }

  /** The buffer positioned at the start of the position, after every structural check. */
  private static ByteBuffer open(String text, Kind kind) {
    if (text.length() > MAX_CHARS) {
      throw invalid();
    }
    byte[] bytes;
    try {
      bytes = DECODER.decode(text);
    } catch (IllegalArgumentException e) {
      throw invalid();
    }
    // Only the one encoding we produce: no padding, no stray bits in the last character.
    if (bytes.length != kind.length() || !ENCODER.encodeToString(bytes).equals(text)) {
      throw invalid();
    }
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    if (buffer.get() != FORMAT
        || buffer.get() != kind.tag
        || buffer.getInt(bytes.length - CHECK) != check(bytes, bytes.length - CHECK)) {
      throw invalid();
    }
    return buffer;
  }

  private static int check(byte[] bytes, int length) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, length);
    return (int) crc.getValue();
  }

  private static KeyserverException invalid() {
    return new KeyserverException(ErrorKind.BAD_REQUEST, "Invalid cursor");
  }
}
