package dev.atpkeyserver.server.auth;

import dev.atpkeyserver.server.auth.AuthenticationException.Reason;
import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A service auth JWT split into its parts, with the header and payload checks that need no key
 * (steps 1 to 3 of the official {@code verifyJwt}). The signature is checked later against the
 * original {@code header.payload} text, never a re-serialisation.
 *
 * <p>Parsing is strict, so that no two parsers can read one token differently: each part is
 * unpadded base64url of valid UTF-8 holding exactly one JSON object (no byte-order mark, nothing
 * after it, no member name twice), {@code exp} is a finite number, and a {@code crit} header is
 * refused, since this verifier understands no JWS extension (RFC 7515, section 4.1.11).
 *
 * @param signingInput the ASCII bytes of {@code base64url(header).base64url(payload)}
 * @param signature the decoded signature bytes
 * @param alg header {@code alg}
 * @param iss payload {@code iss}
 * @param aud payload {@code aud}
 * @param exp payload {@code exp}, seconds since the epoch
 * @param lxm payload {@code lxm}, if present
 */
// Identity equality of the array component is harmless: read once by the verifier, never compared
// or hashed.
@SuppressWarnings("ArrayRecordComponent")
record ServiceToken(
    byte[] signingInput,
    byte[] signature,
    String alg,
    String iss,
    String aud,
    double exp,
    Optional<String> lxm) {

  /** Tokens are about 400 characters; anything this long is not one. */
  static final int MAX_LENGTH = 8192;

  /**
   * One factory for the process ({@code Json.createParser} looks the JSON provider up through
   * ServiceLoader on every call), refusing duplicate member names. Parsson's parser honours only
   * its own key for that; JSON-P's {@code KEY_STRATEGY} reaches its readers alone.
   */
  // REJECT_DUPLICATE_KEYS is deprecated in favour of KEY_STRATEGY, which Parsson's parser ignores.
  @SuppressWarnings("deprecation")
  private static final JsonParserFactory PARSERS =
      Json.createParserFactory(
          Map.of(org.eclipse.parsson.api.JsonConfig.REJECT_DUPLICATE_KEYS, true));

  /** {@code typ} values of other token kinds, refused so they cannot be replayed here. */
  private static final Set<String> FORBIDDEN_TYPES = Set.of("at+jwt", "refresh+jwt", "dpop+jwt");

  static ServiceToken parse(String token) throws AuthenticationException {
    if (token.length() > MAX_LENGTH) {
      throw new AuthenticationException(Reason.BAD_TOKEN);
    }
    // -1 keeps trailing empty parts: "a.b." has three parts, an empty signature.
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3) {
      throw new AuthenticationException(Reason.BAD_TOKEN);
    }
    JsonObject header = jsonObject(parts[0]);
    JsonObject payload = jsonObject(parts[1]);

    if (header.containsKey("crit")) {
      throw new AuthenticationException(Reason.BAD_TOKEN);
    }
    String alg = requiredString(header, "alg");
    Optional<String> typ = optionalString(header, "typ");
    if (typ.isPresent() && FORBIDDEN_TYPES.contains(typ.get())) {
      throw new AuthenticationException(Reason.BAD_TOKEN_TYPE);
    }

    String iss = requiredString(payload, "iss");
    String aud = requiredString(payload, "aud");
    if (!(payload.get("exp") instanceof JsonNumber exp) || !Double.isFinite(exp.doubleValue())) {
      throw new AuthenticationException(Reason.BAD_TOKEN, "Service auth token has no numeric exp");
    }
    Optional<String> lxm = optionalString(payload, "lxm");
    optionalString(payload, "nonce");

    return new ServiceToken(
        (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII),
        base64Url(parts[2]),
        alg,
        iss,
        aud,
        exp.doubleValue(),
        lxm);
  }

  private static JsonObject jsonObject(String part) throws AuthenticationException {
    String json = utf8(base64Url(part));
    // The parser would skip a byte-order mark; a token has none.
    if (!json.startsWith("\uFEFF")) {
      try (JsonParser parser = PARSERS.createParser(new StringReader(json))) {
        if (parser.hasNext() && parser.next() == JsonParser.Event.START_OBJECT) {
          JsonObject object = parser.getObject();
          if (!parser.hasNext()) {
            return object;
          }
        }
      } catch (JsonException | IllegalStateException e) {
        // falls through to the refusal below
      }
    }
    throw new AuthenticationException(Reason.BAD_TOKEN);
  }

  private static String utf8(byte[] bytes) throws AuthenticationException {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new AuthenticationException(Reason.BAD_TOKEN);
    }
  }

  private static byte[] base64Url(String part) throws AuthenticationException {
    // JWS uses base64url without padding (RFC 7515, section 2); the JDK decoder would accept '='.
    if (part.indexOf('=') >= 0) {
      throw new AuthenticationException(Reason.BAD_TOKEN);
    }
    try {
      return Base64.getUrlDecoder().decode(part);
    } catch (IllegalArgumentException e) {
      throw new AuthenticationException(Reason.BAD_TOKEN);
    }
  }

  private static String requiredString(JsonObject object, String name)
      throws AuthenticationException {
    if (object.get(name) instanceof JsonString string) {
      return string.getString();
    }
    throw new AuthenticationException(
        Reason.BAD_TOKEN, "Service auth token has no string '" + name + "'");
  }

  /** A claim that may be absent but, when present, must be a string. */
  private static Optional<String> optionalString(JsonObject object, String name)
      throws AuthenticationException {
    JsonValue value = object.get(name);
    if (value == null) {
      return Optional.empty();
    }
    if (value instanceof JsonString string) {
      return Optional.of(string.getString());
    }
    throw new AuthenticationException(
        Reason.BAD_TOKEN, "Service auth token claim '" + name + "' must be a string");
  }
}
