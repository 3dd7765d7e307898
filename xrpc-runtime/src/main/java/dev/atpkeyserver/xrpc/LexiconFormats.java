package dev.atpkeyserver.xrpc;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.regex.Pattern;

/**
 * Syntax checks for the Lexicon string formats the keyserver uses, following the rules of the
 * reference implementation ({@code @atproto/syntax}) and tested against the atproto interop
 * vectors.
 *
 * <p>Each check is purely syntactic: a well-formed DID may still name a method the keyserver does
 * not support, or a user that does not exist.
 */
public final class LexiconFormats {

  /** Longest DID the syntax allows, in characters. */
  public static final int MAX_DID_LENGTH = 2048;

  /** Longest NSID: a 253-character domain authority, a dot and a 63-character name. */
  public static final int MAX_NSID_LENGTH = 317;

  /** Longest handle (a DNS name). */
  public static final int MAX_HANDLE_LENGTH = 253;

  /** Longest datetime string. */
  public static final int MAX_DATETIME_LENGTH = 64;

  // RFC 3339 intersected with ISO 8601: uppercase T and Z, mandatory seconds and time zone.
  // The fraction may be long (the reference allows up to 20 digits); ranges are checked after.
  private static final Pattern DATETIME =
      Pattern.compile(
          "[0-9]{4}-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-6][0-9]:[0-6][0-9](\\.[0-9]{1,20})?"
              + "(Z|[+-][0-2][0-9]:[0-5][0-9])");

  private static final Pattern HANDLE =
      Pattern.compile(
          "([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\\.)+[a-zA-Z]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?");

  private LexiconFormats() {}

  /**
   * Whether a string is a syntactically valid DID: {@code did:}, a lowercase method of letters, a
   * colon and an identifier of {@code [A-Za-z0-9._:%-]} not ending in {@code :} or {@code %}, at
   * most 2048 characters in all.
   *
   * @param s the candidate, may be null
   * @return true if valid
   */
  public static boolean isValidDid(String s) {
    if (s == null || s.length() > MAX_DID_LENGTH || !s.startsWith("did:")) {
      return false;
    }
    int i = 4;
    int methodStart = i;
    while (i < s.length() && s.charAt(i) >= 'a' && s.charAt(i) <= 'z') {
      i++;
    }
    if (i == methodStart || i >= s.length() || s.charAt(i) != ':') {
      return false;
    }
    i++;
    if (i >= s.length()) {
      return false; // empty identifier
    }
    for (; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean allowed =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '.'
              || c == '_'
              || c == ':'
              || c == '%'
              || c == '-';
      if (!allowed) {
        return false;
      }
    }
    char last = s.charAt(s.length() - 1);
    return last != ':' && last != '%';
  }

  /**
   * Whether a string is a syntactically valid NSID: a reversed domain authority of at least two
   * segments and a name segment, each segment 1 to 63 characters, at most 317 in all. Domain
   * segments are letters, digits and inner hyphens, the first not starting with a digit; the name
   * is letters and digits, not starting with a digit.
   *
   * @param s the candidate, may be null
   * @return true if valid
   */
  public static boolean isValidNsid(String s) {
    if (s == null || s.length() > MAX_NSID_LENGTH) {
      return false;
    }
    String[] segments = s.split("\\.", -1);
    if (segments.length < 3) {
      return false;
    }
    for (int n = 0; n < segments.length; n++) {
      String segment = segments[n];
      if (segment.isEmpty() || segment.length() > 63) {
        return false;
      }
      boolean isName = n == segments.length - 1;
      for (int i = 0; i < segment.length(); i++) {
        char c = segment.charAt(i);
        boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        boolean digit = c >= '0' && c <= '9';
        if (!letter && !digit && (isName || c != '-')) {
          return false;
        }
      }
      if (segment.charAt(0) == '-' || segment.charAt(segment.length() - 1) == '-') {
        return false;
      }
      char first = segment.charAt(0);
      if ((n == 0 || isName) && first >= '0' && first <= '9') {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether a string is a syntactically valid handle: a DNS name of at least two labels, at most
   * 253 characters, labels of letters, digits and inner hyphens up to 63 characters, the last label
   * starting with a letter.
   *
   * @param s the candidate, may be null
   * @return true if valid
   */
  public static boolean isValidHandle(String s) {
    return s != null && s.length() <= MAX_HANDLE_LENGTH && HANDLE.matcher(s).matches();
  }

  /**
   * Whether a string is a valid AT identifier: a handle or a DID.
   *
   * @param s the candidate, may be null
   * @return true if valid
   */
  public static boolean isValidAtIdentifier(String s) {
    return s != null && (s.startsWith("did:") ? isValidDid(s) : isValidHandle(s));
  }

  /**
   * Whether a string is a valid Lexicon datetime; see {@link #parseDatetime(String)}.
   *
   * @param s the candidate, may be null
   * @return true if valid
   */
  public static boolean isValidDatetime(String s) {
    try {
      parseDatetime(s);
      return true;
    } catch (DateTimeException e) {
      return false;
    }
  }

  /**
   * Parses a Lexicon datetime: RFC 3339 with uppercase {@code T}, mandatory seconds, an optional
   * fraction and a mandatory {@code Z} or {@code ±hh:mm} offset ({@code -00:00} is refused). The
   * date and time must exist (no February 30, hours up to 23, seconds up to 59) and, normalised to
   * UTC, fall in the years 0 to 9999.
   *
   * <p>This is slightly stricter than the reference implementation, which leans on JavaScript's
   * {@code Date} and so accepts, for example, hour 24 or a year above 9999 after normalisation.
   *
   * @param s the datetime string
   * @return the instant it denotes; fraction digits beyond nanoseconds are dropped
   * @throws DateTimeException if the string is not a valid Lexicon datetime
   */
  public static Instant parseDatetime(String s) {
    if (s == null
        || s.length() > MAX_DATETIME_LENGTH
        || s.endsWith("-00:00")
        || !DATETIME.matcher(s).matches()) {
      throw new DateTimeException("Not a Lexicon datetime");
    }
    int nanos = 0;
    int end = s.length();
    ZoneOffset offset;
    if (s.charAt(end - 1) == 'Z') {
      offset = ZoneOffset.UTC;
      end--;
    } else {
      int sign = s.charAt(end - 6) == '-' ? -1 : 1;
      offset =
          ZoneOffset.ofHoursMinutes(sign * digits(s, end - 5, 2), sign * digits(s, end - 2, 2));
      end -= 6;
    }
    if (end > 19) { // a fraction: '.' at 19, digits up to end
      for (int i = 20, scale = 100_000_000; i < end && scale > 0; i++, scale /= 10) {
        nanos += (s.charAt(i) - '0') * scale;
      }
    }
    LocalDateTime local =
        LocalDateTime.of(
            digits(s, 0, 4),
            digits(s, 5, 2),
            digits(s, 8, 2),
            digits(s, 11, 2),
            digits(s, 14, 2),
            digits(s, 17, 2),
            nanos);
    Instant instant = local.toInstant(offset);
    int utcYear =
        LocalDateTime.ofEpochSecond(instant.getEpochSecond(), 0, ZoneOffset.UTC).getYear();
    if (utcYear < 0 || utcYear > 9999) {
      throw new DateTimeException("Datetime outside the years 0 to 9999");
    }
    return instant;
  }

  private static int digits(String s, int start, int count) {
    int value = 0;
    for (int i = start; i < start + count; i++) {
      value = value * 10 + (s.charAt(i) - '0');
    }
    return value;
  }
}
