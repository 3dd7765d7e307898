package dev.atpkeyserver.server.observe;

import static dev.atpkeyserver.server.testing.RegexMatcher.matchesPattern;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

/** The request log handler writes every queued line, whole and in order, before it closes. */
class RequestLogHandlerTest {

  @Test
  void writesTimestampedLinesInOrderAndDrainsOnClose() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    RequestLogHandler handler =
        new RequestLogHandler(new PrintStream(bytes, true, StandardCharsets.UTF_8));

    for (int i = 0; i < 1_000; i++) {
      handler.publish(new LogRecord(Level.INFO, "id=" + i + " status=200"));
    }
    handler.close();
    handler.publish(new LogRecord(Level.INFO, "after close"));

    List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
    assertThat(lines.size(), equalTo(1_000));
    assertThat(lines.get(0), matchesPattern("\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z id=0 status=200"));
    assertThat(lines.get(999), matchesPattern(".*Z id=999 status=200"));
    assertThat(handler.dropped(), equalTo(0L));
  }

  @Test
  void timestampsAreIsoUtcWithMicroseconds() {
    DateTimeFormatter iso =
        DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);
    for (Instant instant :
        List.of(
            Instant.EPOCH,
            Instant.parse("1999-12-31T23:59:59.999999999Z"),
            Instant.parse("2024-02-29T12:00:00Z"),
            Instant.parse("2025-01-24T10:30:00.123456789Z"),
            Instant.parse("9999-12-31T23:59:59.000001Z"),
            Instant.ofEpochSecond(1_764_000_000L, 42_000))) {
      StringBuilder line = new StringBuilder();
      RequestLogHandler.appendInstant(line, instant);
      assertThat(line.toString(), equalTo(iso.format(instant)));
    }
  }
}
