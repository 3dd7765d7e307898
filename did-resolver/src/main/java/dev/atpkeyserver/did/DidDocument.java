package dev.atpkeyserver.did;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A validated DID document, reduced to what atproto needs: the {@code #atproto} signing key, the
 * PDS endpoint and the claimed handle. Immutable.
 *
 * <p>Validation follows the official {@code @atproto/common-web} schema: {@code id} must be the
 * requested DID; {@code alsoKnownAs} (if present) is an array of strings; every {@code
 * verificationMethod} entry has string {@code id}, {@code type} and {@code controller} (and a
 * string {@code publicKeyMultibase} if it has one); every {@code service} entry has string {@code
 * id} and {@code type} and a string or object {@code serviceEndpoint}; {@code @context}, if
 * present, is a string or an array of strings. Unknown members are allowed.
 *
 * <p>An unusable {@code #atproto} key is not a parse failure, as in the official code: {@link
 * #atprotoSigningKey()} is then empty and {@link #atprotoKeyProblem()} says why.
 */
public final class DidDocument {

  private static final String ATPROTO_KEY_ID = "#atproto";
  private static final String PDS_SERVICE_ID = "#atproto_pds";
  private static final String PDS_SERVICE_TYPE = "AtprotoPersonalDataServer";
  private static final String HANDLE_PREFIX = "at://";

  /**
   * Created once: {@code Json.createParser} looks the provider up through ServiceLoader each time.
   */
  private static final JsonParserFactory PARSERS = Json.createParserFactory(Map.of());

  private final Did did;
  private final List<String> alsoKnownAs;
  private final AtprotoSigningKey atprotoSigningKey;
  private final String atprotoKeyProblem;
  private final URI pdsEndpoint;

  private DidDocument(
      Did did,
      List<String> alsoKnownAs,
      AtprotoSigningKey atprotoSigningKey,
      String atprotoKeyProblem,
      URI pdsEndpoint) {
    this.did = did;
    this.alsoKnownAs = List.copyOf(alsoKnownAs);
    this.atprotoSigningKey = atprotoSigningKey;
    this.atprotoKeyProblem = atprotoKeyProblem;
    this.pdsEndpoint = pdsEndpoint;
  }

  /**
   * Parses and validates a DID document fetched for a DID.
   *
   * @param did the DID that was resolved; the document's {@code id} must equal it
   * @param json the response body
   * @return the document
   * @throws MalformedDidDocumentException if the body is not JSON, not a DID document, or for
   *     another DID
   */
  public static DidDocument parse(Did did, byte[] json) throws MalformedDidDocumentException {
    Objects.requireNonNull(did, "did");
    Objects.requireNonNull(json, "json");
    JsonObject root = readObject(json);

    JsonValue id = root.get("id");
    if (!(id instanceof JsonString idString)) {
      throw new MalformedDidDocumentException("DID document has no string 'id'");
    }
    if (!idString.getString().equals(did.toString())) {
      throw new MalformedDidDocumentException("DID document 'id' is not the requested DID " + did);
    }
    checkContext(root.get("@context"));
    List<String> alsoKnownAs = stringArray(root, "alsoKnownAs");
    List<JsonObject> methods = objectArray(root, "verificationMethod");
    for (JsonObject method : methods) {
      requireString(method, "id", "verificationMethod");
      requireString(method, "type", "verificationMethod");
      requireString(method, "controller", "verificationMethod");
      optionalString(method, "publicKeyMultibase", "verificationMethod");
    }
    List<JsonObject> services = objectArray(root, "service");
    for (JsonObject service : services) {
      requireString(service, "id", "service");
      requireString(service, "type", "service");
      JsonValue endpoint = service.get("serviceEndpoint");
      if (!(endpoint instanceof JsonString) && !(endpoint instanceof JsonObject)) {
        throw new MalformedDidDocumentException(
            "DID document service needs a string or object 'serviceEndpoint'");
      }
    }

    String docId = idString.getString();
    AtprotoSigningKey key = null;
    String keyProblem;
    try {
      key = atprotoKey(findById(methods, docId, ATPROTO_KEY_ID));
      keyProblem = null;
    } catch (UnusableKeyException e) {
      keyProblem = e.getMessage();
    }
    URI pds = pdsEndpoint(findById(services, docId, PDS_SERVICE_ID));
    return new DidDocument(did, alsoKnownAs, key, keyProblem, pds);
  }

  /**
   * The document's {@code id}, which is the DID that was resolved.
   *
   * @return the DID as text
   */
  public String id() {
    return did.toString();
  }

  /**
   * The DID the document belongs to.
   *
   * @return the DID
   */
  public Did did() {
    return did;
  }

  /**
   * The {@code alsoKnownAs} entries, in document order.
   *
   * @return an unmodifiable list, empty if the document has none
   */
  public List<String> alsoKnownAs() {
    return alsoKnownAs;
  }

  /**
   * The atproto signing key: the verification method with id {@code #atproto} or {@code
   * <did>#atproto} (the first such entry), decoded from its {@code publicKeyMultibase}.
   *
   * @return the key, or empty if there is none or it is unusable (see {@link #atprotoKeyProblem()})
   */
  public Optional<AtprotoSigningKey> atprotoSigningKey() {
    return Optional.ofNullable(atprotoSigningKey);
  }

  /**
   * Why {@link #atprotoSigningKey()} is empty.
   *
   * @return a short safe reason, or empty when there is a usable key
   */
  public Optional<String> atprotoKeyProblem() {
    return Optional.ofNullable(atprotoKeyProblem);
  }

  /**
   * The PDS endpoint: the service with id {@code #atproto_pds} or {@code <did>#atproto_pds} (the
   * first such entry), if its type is {@code AtprotoPersonalDataServer} and its endpoint is an http
   * or https URL with a host.
   *
   * @return the endpoint, or empty
   */
  public Optional<URI> pdsEndpoint() {
    return Optional.ofNullable(pdsEndpoint);
  }

  /**
   * The handle the DID claims: the first {@code alsoKnownAs} entry starting with {@code at://},
   * without that prefix. Not verified: a handle is trusted only after checking it points back.
   *
   * @return the claimed handle, or empty
   */
  public Optional<String> handle() {
    for (String name : alsoKnownAs) {
      if (name.startsWith(HANDLE_PREFIX)) {
        return Optional.of(name.substring(HANDLE_PREFIX.length()));
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return "DidDocument[id="
        + did
        + ", handle="
        + handle().orElse(null)
        + ", pds="
        + pdsEndpoint
        + ", key="
        + (atprotoSigningKey != null ? atprotoSigningKey.toDidKey() : atprotoKeyProblem)
        + "]";
  }

  private static JsonObject readObject(byte[] json) throws MalformedDidDocumentException {
    try (JsonParser parser = PARSERS.createParser(new ByteArrayInputStream(json))) {
      if (!parser.hasNext() || parser.next() != JsonParser.Event.START_OBJECT) {
        throw new MalformedDidDocumentException("DID document is not a JSON object");
      }
      JsonObject object = parser.getObject();
      // JSON.parse refuses trailing content, and so do we (a reader would ignore it).
      if (parser.hasNext()) {
        throw new MalformedDidDocumentException("DID document has content after the JSON object");
      }
      return object;
    } catch (RuntimeException e) {
      // JsonException for syntax errors, but hostile input can make a parser throw other
      // runtime exceptions (numbers, encodings): all of them mean "not a valid document".
      throw new MalformedDidDocumentException("DID document is not valid JSON", e);
    }
  }

  private static void checkContext(JsonValue context) throws MalformedDidDocumentException {
    if (context == null || context instanceof JsonString) {
      return;
    }
    if (context instanceof JsonArray array
        && array.stream().allMatch(item -> item instanceof JsonString)) {
      return;
    }
    throw new MalformedDidDocumentException(
        "DID document '@context' must be a string or an array of strings");
  }

  private static List<String> stringArray(JsonObject root, String name)
      throws MalformedDidDocumentException {
    JsonValue value = root.get(name);
    if (value == null) {
      return List.of();
    }
    List<String> strings = new ArrayList<>();
    if (value instanceof JsonArray array) {
      for (JsonValue item : array) {
        if (!(item instanceof JsonString string)) {
          throw new MalformedDidDocumentException(
              "DID document '" + name + "' must be an array of strings");
        }
        strings.add(string.getString());
      }
      return strings;
    }
    throw new MalformedDidDocumentException(
        "DID document '" + name + "' must be an array of strings");
  }

  private static List<JsonObject> objectArray(JsonObject root, String name)
      throws MalformedDidDocumentException {
    JsonValue value = root.get(name);
    if (value == null) {
      return List.of();
    }
    List<JsonObject> objects = new ArrayList<>();
    if (value instanceof JsonArray array) {
      for (JsonValue item : array) {
        if (!(item instanceof JsonObject object)) {
          throw new MalformedDidDocumentException(
              "DID document '" + name + "' must be an array of objects");
        }
        objects.add(object);
      }
      return objects;
    }
    throw new MalformedDidDocumentException(
        "DID document '" + name + "' must be an array of objects");
  }

  private static void requireString(JsonObject object, String member, String where)
      throws MalformedDidDocumentException {
    if (!(object.get(member) instanceof JsonString)) {
      throw new MalformedDidDocumentException(
          "DID document " + where + " needs a string '" + member + "'");
    }
  }

  private static void optionalString(JsonObject object, String member, String where)
      throws MalformedDidDocumentException {
    JsonValue value = object.get(member);
    if (value != null && !(value instanceof JsonString)) {
      throw new MalformedDidDocumentException(
          "DID document " + where + " '" + member + "' must be a string");
    }
  }

  /** The first entry whose id is {@code #name} or {@code <did>#name} (both forms are allowed). */
  private static JsonObject findById(List<JsonObject> entries, String docId, String fragment) {
    String absolute = docId + fragment;
    for (JsonObject entry : entries) {
      String id = entry.getString("id");
      if (id.equals(fragment) || id.equals(absolute)) {
        return entry;
      }
    }
    return null;
  }

  private static AtprotoSigningKey atprotoKey(JsonObject method) throws UnusableKeyException {
    if (method == null) {
      throw new UnusableKeyException("DID document has no #atproto verification method");
    }
    if (!(method.get("publicKeyMultibase") instanceof JsonString multibase)) {
      throw new UnusableKeyException("#atproto verification method has no publicKeyMultibase");
    }
    String type = method.getString("type");
    try {
      if (type.equals("Multikey")) {
        return AtprotoSigningKey.fromMultikey(multibase.getString());
      }
      Optional<KeyCurve> legacyCurve = KeyCurve.fromLegacyVerificationMethodType(type);
      if (legacyCurve.isPresent()) {
        return AtprotoSigningKey.fromLegacyMultibase(legacyCurve.get(), multibase.getString());
      }
    } catch (InvalidSigningKeyException e) {
      throw new UnusableKeyException("#atproto key is unusable: " + e.getMessage());
    }
    // The type is document content: do not echo it.
    throw new UnusableKeyException("#atproto verification method has an unsupported type");
  }

  private static URI pdsEndpoint(JsonObject service) {
    if (service == null
        || !service.getString("type").equals(PDS_SERVICE_TYPE)
        || !(service.get("serviceEndpoint") instanceof JsonString endpoint)) {
      return null;
    }
    try {
      URI uri = new URI(endpoint.getString());
      boolean web =
          "https".equalsIgnoreCase(uri.getScheme()) || "http".equalsIgnoreCase(uri.getScheme());
      return web && uri.getHost() != null ? uri : null;
    } catch (URISyntaxException e) {
      return null;
    }
  }

  /** Why the #atproto key cannot be used; carried into {@link #atprotoKeyProblem()}. */
  private static final class UnusableKeyException extends Exception {
    UnusableKeyException(String message) {
      super(message, null, false, false);
    }
  }
}
