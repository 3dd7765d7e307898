package dev.atpkeyserver.xrpc.client;

import dev.atpkeyserver.xrpc.ErrorKind;
import dev.atpkeyserver.xrpc.FieldType;
import dev.atpkeyserver.xrpc.JsonOut;
import dev.atpkeyserver.xrpc.JsonWritable;
import dev.atpkeyserver.xrpc.KeyserverException;
import dev.atpkeyserver.xrpc.LexiconFormats;
import dev.atpkeyserver.xrpc.QueryOut;
import dev.atpkeyserver.xrpc.QueryWritable;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonReaderFactory;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Calls XRPC methods over HTTP with the JDK's {@link HttpClient}: the transport under a generated
 * typed client (such as the keyserver's {@code KeyserverClient}), which passes it the method's
 * NSID, its parameters and body as generated records, and the reader of its output record.
 *
 * <p>It authenticates in one of two ways, or not at all (for public methods):
 *
 * <ul>
 *   <li>{@link Builder#serviceAuth}: straight to the service, with a service auth token per call
 *       ({@code Authorization: Bearer <token>}) that the app gets from the user's PDS;
 *   <li>{@link Builder#accessToken} with {@link Builder#atprotoProxy}: to the user's PDS, with the
 *       user's access token and {@code atproto-proxy: <service DID>#<service id>}; the PDS mints
 *       the service token and forwards the call.
 * </ul>
 *
 * <p>A non-2xx answer, or a 2xx answer that is not the method's output as the lexicon describes it,
 * throws {@link XrpcClientException}; no answer throws {@link UncheckedIOException}. Inputs are
 * sent as given, not validated here: the server is the authority on its rules, and its 400 names
 * the field at fault. Outputs are validated on reading, with the generated records' rules.
 *
 * <p>Immutable and thread-safe; share one instance per base URL and user.
 */
public final class XrpcClient {

  private static final JsonReaderFactory READERS =
      Json.createReaderFactory(Map.of("org.eclipse.parsson.rejectDuplicateKeys", true));

  /** Headers the client sets itself, which {@link Builder#header} may not override. */
  private static final Set<String> OWN_HEADERS =
      Set.of("authorization", "atproto-proxy", "content-type", "accept", "user-agent");

  /** Stands for the body of a procedure called without one. */
  private static final JsonWritable NO_BODY = out -> {};

  private final URI xrpcBase;
  private final HttpClient http;
  private final Duration timeout;
  private final Optional<ServiceTokenSupplier> serviceTokens;
  private final Optional<Supplier<String>> accessToken;
  private final Map<String, String> headers;
  private final boolean strict;

  private XrpcClient(Builder builder) {
    this.xrpcBase = builder.xrpcBase;
    this.http = builder.http != null ? builder.http : defaultHttpClient();
    this.timeout = builder.timeout;
    this.serviceTokens = Optional.ofNullable(builder.serviceTokens);
    this.accessToken = Optional.ofNullable(builder.accessToken);
    Map<String, String> all = new LinkedHashMap<>(builder.headers);
    if (builder.userAgent != null) {
      all.put("User-Agent", builder.userAgent);
    }
    if (builder.proxy != null) {
      all.put("atproto-proxy", builder.proxy);
    }
    this.headers = Map.copyOf(all);
    this.strict = builder.strict;
  }

  /**
   * A builder for a client of the XRPC server at {@code baseUri}: the service itself, or the user's
   * PDS when calls go through it.
   *
   * @param baseUri such as {@code https://keyserver.example.com}; requests go to {@code
   *     <baseUri>/xrpc/<nsid>}
   * @return the builder
   */
  public static Builder builder(URI baseUri) {
    return new Builder(baseUri);
  }

  /**
   * Calls a query: {@code GET /xrpc/<nsid>?<params>}.
   *
   * @param nsid the method's NSID
   * @param params its parameters ({@link QueryWritable#NONE} for none)
   * @param output reads the output record, such as {@code GetKey.Output::fromJson}
   * @param <T> the output record
   * @return the output
   * @throws XrpcClientException for an error answer or an unreadable output
   * @throws UncheckedIOException when no answer came
   */
  public <T extends JsonWritable> T query(String nsid, QueryWritable params, FieldType<T> output) {
    return send(nsid, params, Optional.empty(), output);
  }

  /**
   * Calls a procedure: {@code POST /xrpc/<nsid>?<params>} with a JSON body.
   *
   * @param nsid the method's NSID
   * @param params its parameters ({@link QueryWritable#NONE} for none)
   * @param input the request body
   * @param output reads the output record, such as {@code Rotate.Output::fromJson}
   * @param <T> the output record
   * @return the output
   * @throws XrpcClientException for an error answer or an unreadable output
   * @throws UncheckedIOException when no answer came
   */
  public <T extends JsonWritable> T procedure(
      String nsid, QueryWritable params, JsonWritable input, FieldType<T> output) {
    return send(nsid, params, Optional.of(Objects.requireNonNull(input, "input")), output);
  }

  /**
   * Calls a procedure that takes no body: {@code POST /xrpc/<nsid>?<params>}.
   *
   * @param nsid the method's NSID
   * @param params its parameters ({@link QueryWritable#NONE} for none)
   * @param output reads the output record
   * @param <T> the output record
   * @return the output
   * @throws XrpcClientException for an error answer or an unreadable output
   * @throws UncheckedIOException when no answer came
   */
  public <T extends JsonWritable> T procedure(
      String nsid, QueryWritable params, FieldType<T> output) {
    return send(nsid, params, Optional.of(NO_BODY), output);
  }

  private <T extends JsonWritable> T send(
      String nsid, QueryWritable params, Optional<JsonWritable> body, FieldType<T> output) {
    Objects.requireNonNull(nsid, "nsid");
    Objects.requireNonNull(params, "params");
    Objects.requireNonNull(output, "output");
    if (!LexiconFormats.isValidNsid(nsid)) {
      throw new IllegalArgumentException("Not a valid NSID: " + nsid);
    }
    QueryOut query = new QueryOut();
    params.writeQuery(query);
    URI uri = xrpcBase.resolve(nsid + (query.isEmpty() ? "" : "?" + query));
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json");
    headers.forEach(request::header);
    authorization(nsid).ifPresent(value -> request.header("Authorization", value));
    if (body.isEmpty()) {
      request.GET();
    } else if (body.get() == NO_BODY) {
      request.POST(HttpRequest.BodyPublishers.noBody());
    } else {
      request
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofByteArray(JsonOut.toBytes(body.get())));
    }
    HttpResponse<byte[]> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(nsid + ": no answer from " + xrpcBase, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      InterruptedIOException interrupted = new InterruptedIOException(nsid + ": interrupted");
      interrupted.initCause(e);
      throw new UncheckedIOException(interrupted);
    }
    int status = response.statusCode();
    if (strict && !isJson(response)) {
      throw invalid(nsid, response, "Content-Type is not application/json");
    }
    if (status < 200 || status > 299) {
      throw errorAnswer(nsid, response);
    }
    Optional<JsonValue> json = parse(response.body());
    if (json.isEmpty()) {
      throw invalid(nsid, response, "Response body is not JSON");
    }
    T result;
    try {
      result = output.fromJson(json.get(), "");
    } catch (KeyserverException e) {
      // The records' readers describe a broken rule in request terms; here it is the response.
      throw invalid(nsid, response, e.safeMessage().replace(" field ", " member "));
    }
    if (strict) {
      Optional<String> difference =
          difference(json.get(), parse(JsonOut.toBytes(result)).orElseThrow(), "");
      if (difference.isPresent()) {
        throw invalid(nsid, response, difference.get());
      }
    }
    return result;
  }

  private Optional<String> authorization(String nsid) {
    if (serviceTokens.isPresent()) {
      return Optional.of("Bearer " + requireToken(serviceTokens.get().token(nsid), nsid));
    }
    return accessToken.map(supplier -> "Bearer " + requireToken(supplier.get(), nsid));
  }

  private static String requireToken(String token, String nsid) {
    if (token == null || token.isBlank()) {
      throw new IllegalStateException("The token supplier returned no token for " + nsid);
    }
    return token;
  }

  private XrpcClientException errorAnswer(String nsid, HttpResponse<byte[]> response) {
    int status = response.statusCode();
    String fallback = ErrorKind.forStatus(status).map(ErrorKind::reasonPhrase).orElse("Unknown");
    Optional<JsonValue> json = parse(response.body());
    if (json.isEmpty() || !(json.get() instanceof JsonObject body)) {
      return strict
          ? invalid(nsid, response, "Error body is not a JSON object")
          : new XrpcClientException(nsid, status, fallback, null, response.headers());
    }
    Optional<String> error = string(body, "error");
    Optional<String> message = string(body, "message");
    if (strict) {
      Optional<String> problem = errorBodyProblem(body, error, message);
      if (problem.isPresent()) {
        return invalid(nsid, response, problem.get());
      }
    }
    return new XrpcClientException(
        nsid, status, error.orElse(fallback), message.orElse(null), response.headers());
  }

  /** What makes an error body other than exactly a string error and an optional string message. */
  private static Optional<String> errorBodyProblem(
      JsonObject body, Optional<String> error, Optional<String> message) {
    for (String name : body.keySet()) {
      if (!name.equals("error") && !name.equals("message")) {
        return Optional.of("Member '" + name + "' is not part of an XRPC error body");
      }
    }
    if (error.isEmpty()) {
      return Optional.of("Error body without an error");
    }
    if (body.containsKey("message") && message.isEmpty()) {
      return Optional.of("Error message is not a string");
    }
    return Optional.empty();
  }

  private static XrpcClientException invalid(
      String nsid, HttpResponse<byte[]> response, String message) {
    return new XrpcClientException(
        nsid,
        response.statusCode(),
        XrpcClientException.INVALID_RESPONSE,
        message,
        response.headers());
  }

  private static boolean isJson(HttpResponse<byte[]> response) {
    return response
        .headers()
        .firstValue("Content-Type")
        .map(
            type ->
                type.toLowerCase(Locale.ROOT).split(";", -1)[0].trim().equals("application/json"))
        .orElse(false);
  }

  private static Optional<String> string(JsonObject body, String name) {
    return body.get(name) instanceof JsonString value
        ? Optional.of(value.getString())
        : Optional.empty();
  }

  private static Optional<JsonValue> parse(byte[] body) {
    if (body.length == 0) {
      return Optional.empty();
    }
    try (JsonReader reader = READERS.createReader(new ByteArrayInputStream(body))) {
      return Optional.of(reader.readValue());
    } catch (JsonException e) {
      return Optional.empty();
    }
  }

  /**
   * Where {@code received} differs from {@code written}, the record read from it and written back:
   * a member the lexicon does not declare, or a value not in the form the records write (a datetime
   * without milliseconds, a {@code null} where the member is left out). Member order does not
   * matter.
   */
  static Optional<String> difference(JsonValue received, JsonValue written, String path) {
    if (received instanceof JsonObject got && written instanceof JsonObject kept) {
      for (Map.Entry<String, JsonValue> member : got.entrySet()) {
        String where = path.isEmpty() ? member.getKey() : path + "." + member.getKey();
        JsonValue counterpart = kept.get(member.getKey());
        if (counterpart == null && member.getValue().getValueType() != JsonValue.ValueType.NULL) {
          return Optional.of("Member '" + where + "' is not declared by the lexicon");
        }
        Optional<String> inner =
            counterpart == null
                ? Optional.of(notCanonical(where))
                : difference(member.getValue(), counterpart, where);
        if (inner.isPresent()) {
          return inner;
        }
      }
      for (String name : kept.keySet()) {
        if (!got.containsKey(name)) {
          return Optional.of(notCanonical(path.isEmpty() ? name : path + "." + name));
        }
      }
      return Optional.empty();
    }
    if (received instanceof JsonArray got && written instanceof JsonArray kept) {
      for (int i = 0; i < Math.min(got.size(), kept.size()); i++) {
        Optional<String> inner = difference(got.get(i), kept.get(i), path + "[" + i + "]");
        if (inner.isPresent()) {
          return inner;
        }
      }
      return got.size() == kept.size() ? Optional.empty() : Optional.of(notCanonical(path));
    }
    return received.equals(written) ? Optional.empty() : Optional.of(notCanonical(path));
  }

  private static String notCanonical(String path) {
    return "Member '" + path + "' is not in the form the lexicon's records write";
  }

  private static HttpClient defaultHttpClient() {
    return HttpClient.newBuilder()
        .connectTimeout(Duration.ofSeconds(10))
        // A redirect would carry the Authorization header to wherever it points.
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
  }

  /** Builds an {@link XrpcClient}. */
  public static final class Builder {

    private final URI xrpcBase;
    private HttpClient http;
    private Duration timeout = Duration.ofSeconds(30);
    private ServiceTokenSupplier serviceTokens;
    private Supplier<String> accessToken;
    private String proxy;
    private String userAgent;
    private boolean strict;
    private final Map<String, String> headers = new LinkedHashMap<>();

    private Builder(URI baseUri) {
      Objects.requireNonNull(baseUri, "baseUri");
      String scheme = Optional.ofNullable(baseUri.getScheme()).orElse("").toLowerCase(Locale.ROOT);
      if ((!scheme.equals("https") && !scheme.equals("http"))
          || baseUri.getHost() == null
          || baseUri.getQuery() != null
          || baseUri.getFragment() != null) {
        throw new IllegalArgumentException(
            "Not an http(s) base URL without query or fragment: " + baseUri);
      }
      String base = baseUri.toString();
      this.xrpcBase = URI.create((base.endsWith("/") ? base : base + "/") + "xrpc/");
    }

    /**
     * Authenticates each call with a service auth token for its method, sent straight to the
     * service.
     *
     * @param tokens gives the token for a method's NSID
     * @return this builder
     */
    public Builder serviceAuth(ServiceTokenSupplier tokens) {
      this.serviceTokens = Objects.requireNonNull(tokens, "tokens");
      return this;
    }

    /**
     * Authenticates each call with the user's PDS access token ({@code accessJwt} of {@code
     * com.atproto.server.createSession}), for calls through the PDS with {@link #atprotoProxy}.
     *
     * @param accessToken gives the current access token; called once per call, so a refreshed
     *     session is picked up
     * @return this builder
     */
    public Builder accessToken(Supplier<String> accessToken) {
      this.accessToken = Objects.requireNonNull(accessToken, "accessToken");
      return this;
    }

    /**
     * Asks the PDS at the base URL to forward every call to a service: sends {@code atproto-proxy:
     * <did>#<serviceId>}. The PDS looks the service up in the DID's document and signs a service
     * token for it.
     *
     * @param did the service's DID, such as {@code did:web:keyserver.example.com}
     * @param serviceId the id of the service entry in that DID document, without {@code #}, such as
     *     {@code atp_keyserver}
     * @return this builder
     */
    public Builder atprotoProxy(String did, String serviceId) {
      Objects.requireNonNull(did, "did");
      Objects.requireNonNull(serviceId, "serviceId");
      if (!LexiconFormats.isValidDid(did) || did.contains("#")) {
        throw new IllegalArgumentException("Not a DID: " + did);
      }
      if (!serviceId.matches("[A-Za-z0-9_.~-]+")) {
        throw new IllegalArgumentException("Not a service id: " + serviceId);
      }
      this.proxy = did + "#" + serviceId;
      return this;
    }

    /**
     * Sends {@code User-Agent}; the keyserver records it in the access log of the keys read.
     *
     * @param userAgent the product and version, such as {@code my-app/1.2}
     * @return this builder
     */
    public Builder userAgent(String userAgent) {
      this.userAgent = Objects.requireNonNull(userAgent, "userAgent");
      return this;
    }

    /**
     * Sends one more header on every call.
     *
     * @param name the header name; not one the client sets itself ({@code Authorization}, {@code
     *     atproto-proxy}, {@code Content-Type}, {@code Accept}, {@code User-Agent})
     * @param value its value
     * @return this builder
     */
    public Builder header(String name, String value) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
      if (OWN_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
        throw new IllegalArgumentException("Set " + name + " with its own builder method");
      }
      headers.put(name, value);
      return this;
    }

    /**
     * How long a call may take before it fails with an {@link UncheckedIOException}; 30 seconds
     * unless set.
     *
     * @param timeout the limit per call
     * @return this builder
     */
    public Builder timeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("Timeout must be positive: " + timeout);
      }
      this.timeout = timeout;
      return this;
    }

    /**
     * The HTTP client to send with, to share a connection pool, an executor or TLS settings. The
     * default does not follow redirects (they would carry the token elsewhere).
     *
     * @param http the client
     * @return this builder
     */
    public Builder httpClient(HttpClient http) {
      this.http = Objects.requireNonNull(http, "http");
      return this;
    }

    /**
     * Refuses ({@value XrpcClientException#INVALID_RESPONSE}) an output that is not exactly what
     * its record writes back (a member the lexicon does not declare, a datetime without
     * milliseconds, a {@code null} where the records leave a member out; member order aside), an
     * error body with anything but a string {@code error} and {@code message}, and an answer whose
     * {@code Content-Type} is not {@code application/json}. Off by default: the Lexicon language
     * lets a server add members and write values in other valid forms. The keyserver's tests turn
     * it on, since its answers are written by the same records.
     *
     * @return this builder
     */
    public Builder strict() {
      this.strict = true;
      return this;
    }

    /**
     * The client.
     *
     * @return the client
     * @throws IllegalStateException for a combination that cannot authenticate: both kinds of
     *     token, or a proxy without an access token (the PDS accepts only its own tokens)
     */
    public XrpcClient build() {
      if (serviceTokens != null && accessToken != null) {
        throw new IllegalStateException("Choose serviceAuth or accessToken, not both");
      }
      if (proxy != null && accessToken == null) {
        throw new IllegalStateException("atprotoProxy needs the user's accessToken for the PDS");
      }
      return new XrpcClient(this);
    }
  }
}
