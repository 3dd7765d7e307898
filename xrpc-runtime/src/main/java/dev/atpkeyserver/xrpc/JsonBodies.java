package dev.atpkeyserver.xrpc;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Reads XRPC procedure bodies: a JSON object, at most a given size, sent as {@code
 * application/json}.
 *
 * <ul>
 *   <li>An empty body is read as {@code {}}, whatever its Content-Type, so a procedure whose input
 *       fields are all optional can be called with no body at all.
 *   <li>A non-empty body needs {@code Content-Type: application/json} (parameters such as {@code
 *       charset} are allowed); anything else is 415.
 *   <li>A body over the limit is 413; a declared Content-Length over the limit is refused before
 *       reading, and a body without one is read only up to the limit.
 *   <li>Anything but one well-formed JSON object in UTF-8 is 400 {@value #MALFORMED}: invalid
 *       UTF-8, trailing data, a top level that is not an object, a duplicate member name (which
 *       parsers resolve differently, so it could smuggle a value past a check) or nesting deeper
 *       than {@value #MAX_DEPTH}.
 * </ul>
 */
public final class JsonBodies {

  /** The default body size limit: 64 KiB, far above any keyserver input. */
  public static final int DEFAULT_MAX_BYTES = 64 * 1024;

  /** The message for a body that is not one well-formed JSON object. */
  public static final String MALFORMED = "Malformed JSON body";

  /** The deepest nesting accepted; keyserver inputs are at most a few levels deep. */
  public static final int MAX_DEPTH = 32;

  private static final JsonParserFactory PARSERS =
      Json.createParserFactory(
          Map.of(
              "org.eclipse.parsson.rejectDuplicateKeys",
              true,
              "org.eclipse.parsson.maxDepth",
              MAX_DEPTH));

  private JsonBodies() {}

  /**
   * Checks a body size limit.
   *
   * @param maxBytes the limit in bytes
   * @return the limit
   * @throws IllegalArgumentException unless it is between 0 and {@code Integer.MAX_VALUE - 1}
   */
  public static int checkLimit(int maxBytes) {
    // One byte above the limit is read to detect a body over it, so MAX_VALUE cannot work.
    if (maxBytes < 0 || maxBytes == Integer.MAX_VALUE) {
      throw new IllegalArgumentException("Body size limit out of range: " + maxBytes);
    }
    return maxBytes;
  }

  /**
   * Reads a request's body as a JSON object.
   *
   * @param request the request
   * @param maxBytes the size limit in bytes
   * @return the object; empty for an empty body
   * @throws KeyserverException 400, 413 or 415 as described in the class comment
   */
  public static JsonObject read(ServerRequest request, int maxBytes) {
    Optional<String> contentType = request.headers().first(HeaderNames.CONTENT_TYPE);
    OptionalLong contentLength = request.headers().contentLength();
    if (!request.content().hasEntity()) {
      return JsonObject.EMPTY_JSON_OBJECT;
    }
    return read(contentType, contentLength, request.content().inputStream(), maxBytes);
  }

  /**
   * Reads a body from a stream; {@link #read(ServerRequest, int)} without the HTTP types.
   *
   * @param contentType the Content-Type header, if any
   * @param contentLength the Content-Length header, if any
   * @param body the body
   * @param maxBytes the size limit in bytes
   * @return the object; empty for an empty body
   * @throws KeyserverException 400, 413 or 415 as described in the class comment
   */
  public static JsonObject read(
      Optional<String> contentType, OptionalLong contentLength, InputStream body, int maxBytes) {
    checkLimit(maxBytes);
    if (contentLength.isPresent() && contentLength.getAsLong() > maxBytes) {
      throw tooLarge(maxBytes);
    }
    byte[] bytes;
    try {
      bytes = body.readNBytes(maxBytes + 1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (bytes.length > maxBytes) {
      throw tooLarge(maxBytes);
    }
    if (bytes.length == 0) {
      return JsonObject.EMPTY_JSON_OBJECT;
    }
    if (contentType.isEmpty() || !isJson(contentType.get())) {
      throw new KeyserverException(
          ErrorKind.UNSUPPORTED_MEDIA_TYPE, "Content-Type must be application/json");
    }
    return parse(bytes);
  }

  /**
   * Parses a complete body.
   *
   * @param body the body as UTF-8
   * @return the object; empty for an empty body
   * @throws KeyserverException 400 {@value #MALFORMED} unless the body is one JSON object
   */
  public static JsonObject parse(byte[] body) {
    if (body.length == 0) {
      return JsonObject.EMPTY_JSON_OBJECT;
    }
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(body))
              .toString();
    } catch (CharacterCodingException e) {
      throw malformed(e);
    }
    try (JsonParser parser = PARSERS.createParser(new StringReader(text))) {
      if (!parser.hasNext() || parser.next() != JsonParser.Event.START_OBJECT) {
        throw new KeyserverException(ErrorKind.BAD_REQUEST, MALFORMED);
      }
      JsonObject object = parser.getObject();
      if (parser.hasNext()) { // throws itself for most trailing data
        throw new KeyserverException(ErrorKind.BAD_REQUEST, MALFORMED);
      }
      return object;
    } catch (KeyserverException e) {
      throw e;
    } catch (RuntimeException e) {
      // Parsson signals syntax errors with JsonException, duplicate keys with
      // IllegalStateException and excessive nesting with a plain RuntimeException.
      throw malformed(e);
    }
  }

  /**
   * Whether a Content-Type header value is {@code application/json}, ignoring case, surrounding
   * whitespace and parameters.
   *
   * @param contentType the header value
   * @return true for JSON
   */
  public static boolean isJson(String contentType) {
    int semicolon = contentType.indexOf(';');
    String mediaType = semicolon < 0 ? contentType : contentType.substring(0, semicolon);
    return mediaType.strip().toLowerCase(Locale.ROOT).equals("application/json");
  }

  private static KeyserverException tooLarge(int maxBytes) {
    return new KeyserverException(
        ErrorKind.PAYLOAD_TOO_LARGE, "Request body is larger than " + maxBytes + " bytes");
  }

  private static KeyserverException malformed(Exception cause) {
    return new KeyserverException(ErrorKind.BAD_REQUEST, MALFORMED, cause);
  }
}
