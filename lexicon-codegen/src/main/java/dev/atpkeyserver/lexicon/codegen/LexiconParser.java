package dev.atpkeyserver.lexicon.codegen;

import dev.atpkeyserver.lexicon.codegen.emit.JavaNames;
import dev.atpkeyserver.lexicon.codegen.model.DefId;
import dev.atpkeyserver.lexicon.codegen.model.LexArray;
import dev.atpkeyserver.lexicon.codegen.model.LexBody;
import dev.atpkeyserver.lexicon.codegen.model.LexBoolean;
import dev.atpkeyserver.lexicon.codegen.model.LexDef;
import dev.atpkeyserver.lexicon.codegen.model.LexError;
import dev.atpkeyserver.lexicon.codegen.model.LexInteger;
import dev.atpkeyserver.lexicon.codegen.model.LexMethod;
import dev.atpkeyserver.lexicon.codegen.model.LexObject;
import dev.atpkeyserver.lexicon.codegen.model.LexParams;
import dev.atpkeyserver.lexicon.codegen.model.LexPrimitive;
import dev.atpkeyserver.lexicon.codegen.model.LexProcedure;
import dev.atpkeyserver.lexicon.codegen.model.LexProperty;
import dev.atpkeyserver.lexicon.codegen.model.LexQuery;
import dev.atpkeyserver.lexicon.codegen.model.LexRef;
import dev.atpkeyserver.lexicon.codegen.model.LexString;
import dev.atpkeyserver.lexicon.codegen.model.LexStringFormat;
import dev.atpkeyserver.lexicon.codegen.model.LexType;
import dev.atpkeyserver.lexicon.codegen.model.LexiconDocument;
import dev.atpkeyserver.lexicon.codegen.model.Lexicons;
import jakarta.json.Json;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads lexicon files into the {@link dev.atpkeyserver.lexicon.codegen.model model} (after ozone's
 * {@code parse.kt}). It is strict: an unknown key, an unknown or unsupported type, a reference that
 * does not resolve or a name that cannot become Java fails with a {@link LexiconException} naming
 * the file and the JSON path, rather than generating something subtly wrong.
 *
 * <p>Beyond the Lexicon language it requires each file's path to match its id ({@code a/b/c.json}
 * for {@code a.b.c}), every method to have a JSON output, and every input and output schema to be
 * an inline object.
 */
public final class LexiconParser {

  /** Every type the Lexicon language defines; the generator supports a subset. */
  private static final Set<String> LEXICON_TYPES =
      Set.of(
          "query",
          "procedure",
          "subscription",
          "record",
          "permission-set",
          "token",
          "object",
          "array",
          "string",
          "integer",
          "boolean",
          "bytes",
          "cid-link",
          "blob",
          "unknown",
          "ref",
          "union",
          "params");

  private static final Set<String> LEXICON_STRING_FORMATS =
      Set.of(
          "datetime",
          "uri",
          "at-uri",
          "did",
          "handle",
          "at-identifier",
          "nsid",
          "cid",
          "language",
          "tid",
          "record-key");

  private static final Pattern DEF_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");
  private static final Pattern ERROR_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9]*");
  private static final Pattern NSID_DOMAIN_SEGMENT =
      Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
  private static final Pattern NSID_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9]{0,62}");

  private static final JsonParserFactory JSON =
      Json.createParserFactory(Map.of("org.eclipse.parsson.rejectDuplicateKeys", true));

  /**
   * A lexicon file's content.
   *
   * @param displayName how messages name the file, such as {@code lexicons/a/b/c.json}
   * @param relativePath the path under the lexicon directory with {@code /} separators
   * @param content the JSON text
   */
  public record Source(String displayName, String relativePath, String content) {}

  private record RawDoc(Source source, String id, JsonNode root, JsonNode defs) {}

  private final Map<String, RawDoc> docs = new TreeMap<>();
  private final Map<DefId, LexDef> parsed = new HashMap<>();
  private final Set<DefId> inProgress = new HashSet<>();

  private LexiconParser() {}

  /**
   * Reads every {@code *.json} file under a directory; other files are ignored.
   *
   * @param root the lexicon directory
   * @return the parsed lexicons
   * @throws LexiconException if any file is invalid or unsupported
   */
  public static Lexicons parseDirectory(Path root) {
    String prefix = root.toAbsolutePath().normalize().getFileName().toString();
    List<Source> sources = new ArrayList<>();
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
        if (!Files.isRegularFile(path)) {
          continue;
        }
        String relative = root.relativize(path).toString().replace('\\', '/');
        sources.add(
            new Source(
                prefix + "/" + relative, relative, Files.readString(path, StandardCharsets.UTF_8)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read lexicons under " + root, e);
    }
    return parse(sources);
  }

  /**
   * Parses a set of lexicon files that may refer to each other.
   *
   * @param sources the files
   * @return the parsed lexicons
   * @throws LexiconException if any file is invalid or unsupported
   */
  public static Lexicons parse(List<Source> sources) {
    LexiconParser parser = new LexiconParser();
    for (Source source : sources) {
      RawDoc doc = parser.readDocument(source);
      RawDoc previous = parser.docs.putIfAbsent(doc.id(), doc);
      if (previous != null) {
        throw doc.root()
            .get("id")
            .fail("id '" + doc.id() + "' is also used by " + previous.source().displayName());
      }
    }
    List<LexiconDocument> documents = new ArrayList<>();
    for (RawDoc doc : parser.docs.values()) {
      Map<String, LexDef> defs = new LinkedHashMap<>();
      for (JsonNode def : doc.defs().entries()) {
        defs.put(def.key(), parser.def(new DefId(doc.id(), def.key())));
      }
      documents.add(
          new LexiconDocument(
              doc.id(),
              doc.source().relativePath(),
              doc.root().optionalString("description"),
              defs));
    }
    Lexicons lexicons = new Lexicons(documents);
    parser.checkJavaNames(lexicons);
    return lexicons;
  }

  // ---- documents ----

  private RawDoc readDocument(Source source) {
    JsonValue value;
    try (JsonParser parser = JSON.createParser(new StringReader(source.content()))) {
      if (!parser.hasNext() || parser.next() != JsonParser.Event.START_OBJECT) {
        throw new LexiconException(source.displayName(), "$", "expected a JSON object");
      }
      value = parser.getObject();
      if (parser.hasNext()) {
        throw new LexiconException(source.displayName(), "$", "trailing data after the object");
      }
    } catch (LexiconException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new LexiconException(source.displayName(), "$", "malformed JSON: " + e.getMessage(), e);
    }
    JsonNode root = new JsonNode(source.displayName(), "$", value);
    root.allowKeys(Set.of("lexicon", "id", "revision", "description", "defs"));
    JsonNode version = root.get("lexicon");
    if (version.value().getValueType() != JsonValue.ValueType.NUMBER || version.integer() != 1) {
      throw version.fail("only Lexicon version 1 is supported");
    }
    root.optional("revision").ifPresent(JsonNode::integer);
    root.optionalString("description");
    JsonNode idNode = root.get("id");
    String id = idNode.string();
    if (!isValidNsid(id)) {
      throw idNode.fail("'" + id + "' is not a valid NSID");
    }
    String expected = id.replace('.', '/') + ".json";
    if (!source.relativePath().equals(expected)) {
      throw idNode.fail(
          "id '" + id + "' does not match the file's path (expected " + expected + ")");
    }
    JsonNode defs = root.get("defs");
    if (defs.object().isEmpty()) {
      throw defs.fail("a lexicon needs at least one definition");
    }
    for (JsonNode def : defs.entries()) {
      String name = def.key();
      if (!DEF_NAME.matcher(name).matches()) {
        throw def.fail("'" + name + "' is not a valid definition name");
      }
      String type = def.get("type").string();
      if ((type.equals("query") || type.equals("procedure")) && !name.equals("main")) {
        throw def.fail("a " + type + " must be the 'main' definition");
      }
    }
    return new RawDoc(source, id, root, defs);
  }

  // ---- definitions ----

  private LexDef def(DefId id) {
    LexDef done = parsed.get(id);
    if (done != null) {
      return done;
    }
    RawDoc doc = docs.get(id.nsid());
    JsonNode node = doc.defs().get(id.name());
    if (!inProgress.add(id)) {
      throw node.fail("circular reference through " + id);
    }
    LexDef def =
        switch (typeOf(node)) {
          case "query" -> query(node, doc);
          case "procedure" -> procedure(node, doc);
          case "object" -> object(node, doc);
          case "string" -> string(node);
          case "integer" -> integer(node);
          case "boolean" -> bool(node);
          case "array" -> array(node, doc, false);
          default -> throw unsupportedType(node, "as a definition");
        };
    inProgress.remove(id);
    parsed.put(id, def);
    return def;
  }

  private static String typeOf(JsonNode node) {
    node.object();
    return node.get("type").string();
  }

  private static LexiconException unsupportedType(JsonNode node, String where) {
    String type = typeOf(node);
    if (!LEXICON_TYPES.contains(type)) {
      return node.fail("unknown type '" + type + "'");
    }
    return node.fail("type '" + type + "' is not supported " + where + " by lexicon-codegen");
  }

  private LexQuery query(JsonNode node, RawDoc doc) {
    if (node.has("input")) {
      throw node.get("input").fail("a query cannot have an input (use a procedure)");
    }
    node.allowKeys(Set.of("type", "description", "parameters", "output", "errors"));
    return new LexQuery(
        node.optionalString("description"), parameters(node), output(node, doc), errors(node));
  }

  private LexProcedure procedure(JsonNode node, RawDoc doc) {
    node.allowKeys(Set.of("type", "description", "parameters", "input", "output", "errors"));
    return new LexProcedure(
        node.optionalString("description"),
        parameters(node),
        node.optional("input").map(input -> body(input, doc)),
        output(node, doc),
        errors(node));
  }

  private LexBody output(JsonNode method, RawDoc doc) {
    if (!method.has("output")) {
      throw method.fail("a method needs an output (lexicon-codegen requires a JSON output)");
    }
    return body(method.get("output"), doc);
  }

  private LexBody body(JsonNode node, RawDoc doc) {
    node.allowKeys(Set.of("description", "encoding", "schema"));
    JsonNode encoding = node.get("encoding");
    if (!encoding.string().equals(LexBody.JSON)) {
      throw encoding.fail(
          "encoding '" + encoding.string() + "' is not supported (only " + LexBody.JSON + ")");
    }
    if (!node.has("schema")) {
      throw node.fail("a body without a schema is not supported");
    }
    JsonNode schema = node.get("schema");
    if (!typeOf(schema).equals("object")) {
      throw schema.fail(
          "the schema must be an inline object, not '" + typeOf(schema) + "' (lexicon-codegen)");
    }
    return new LexBody(node.optionalString("description"), object(schema, doc));
  }

  private static List<LexError> errors(JsonNode method) {
    List<LexError> errors = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (JsonNode error : method.optional("errors").map(JsonNode::items).orElse(List.of())) {
      error.allowKeys(Set.of("name", "description"));
      JsonNode nameNode = error.get("name");
      String name = nameNode.string();
      if (!ERROR_NAME.matcher(name).matches()) {
        throw nameNode.fail("'" + name + "' is not a valid error name");
      }
      if (!names.add(name)) {
        throw nameNode.fail("duplicate error name '" + name + "'");
      }
      errors.add(new LexError(name, error.optionalString("description")));
    }
    return errors;
  }

  private Optional<LexParams> parameters(JsonNode method) {
    if (!method.has("parameters")) {
      return Optional.empty();
    }
    JsonNode node = method.get("parameters");
    node.allowKeys(Set.of("type", "description", "required", "properties"));
    if (!typeOf(node).equals("params")) {
      throw node.fail("parameters must have type 'params', not '" + typeOf(node) + "'");
    }
    JsonNode properties = node.get("properties");
    Set<String> required = names(node, "required", properties);
    List<LexProperty> result = new ArrayList<>();
    for (JsonNode property : properties.entries()) {
      LexType type =
          switch (typeOf(property)) {
            case "string" -> string(property);
            case "integer" -> integer(property);
            case "boolean" -> bool(property);
            case "array" -> array(property, null, true);
            case "unknown" ->
                throw property.fail(
                    "type 'unknown' is not supported in parameters by lexicon-codegen");
            default -> {
              String other = typeOf(property);
              if (!LEXICON_TYPES.contains(other)) {
                throw property.fail("unknown type '" + other + "'");
              }
              throw property.fail(
                  "parameters may only be boolean, integer, string or arrays of those, not '"
                      + other
                      + "'");
            }
          };
      result.add(new LexProperty(property.key(), type, required.contains(property.key()), false));
    }
    checkMemberNames(properties, result);
    return result.isEmpty()
        ? Optional.empty()
        : Optional.of(new LexParams(node.optionalString("description"), result));
  }

  private LexObject object(JsonNode node, RawDoc doc) {
    node.allowKeys(Set.of("type", "description", "required", "nullable", "properties"));
    JsonNode properties = node.get("properties");
    Set<String> required = names(node, "required", properties);
    Set<String> nullable = names(node, "nullable", properties);
    List<LexProperty> result = new ArrayList<>();
    for (JsonNode property : properties.entries()) {
      LexType type = fieldType(property, doc);
      boolean isNullable = nullable.contains(property.key());
      if (isNullable && type instanceof LexPrimitive p && p.hasDefault()) {
        throw property.fail(
            "a nullable property with a default is not supported by lexicon-codegen");
      }
      result.add(
          new LexProperty(property.key(), type, required.contains(property.key()), isNullable));
    }
    checkMemberNames(properties, result);
    return new LexObject(node.optionalString("description"), result);
  }

  private LexType fieldType(JsonNode node, RawDoc doc) {
    return switch (typeOf(node)) {
      case "string" -> string(node);
      case "integer" -> integer(node);
      case "boolean" -> bool(node);
      case "array" -> array(node, doc, false);
      case "ref" -> ref(node, doc);
      case "object" ->
          throw node.fail("an object cannot be nested inline; define it and use a ref");
      default -> throw unsupportedType(node, "as a property");
    };
  }

  private LexArray array(JsonNode node, RawDoc doc, boolean inParams) {
    node.allowKeys(Set.of("type", "description", "items", "minLength", "maxLength"));
    JsonNode itemsNode = node.get("items");
    LexType items =
        switch (typeOf(itemsNode)) {
          case "string" -> string(itemsNode);
          case "integer" -> integer(itemsNode);
          case "boolean" -> bool(itemsNode);
          case "ref" -> {
            if (inParams) {
              throw itemsNode.fail("parameter arrays may only hold boolean, integer or string");
            }
            yield ref(itemsNode, doc);
          }
          case "array" -> throw itemsNode.fail("arrays of arrays are not valid Lexicon");
          default -> throw unsupportedType(itemsNode, "as an array item");
        };
    if (items instanceof LexArray) {
      throw itemsNode.fail("arrays of arrays are not valid Lexicon");
    }
    OptionalInt min = node.optionalLength("minLength");
    OptionalInt max = node.optionalLength("maxLength");
    checkRange(node, min, max);
    return new LexArray(node.optionalString("description"), items, min, max);
  }

  private LexType ref(JsonNode node, RawDoc doc) {
    node.allowKeys(Set.of("type", "description", "ref"));
    JsonNode refNode = node.get("ref");
    String ref = refNode.string();
    DefId target;
    int hash = ref.indexOf('#');
    if (hash == 0) {
      target = new DefId(doc.id(), ref.substring(1));
    } else if (hash > 0) {
      target = new DefId(ref.substring(0, hash), ref.substring(hash + 1));
    } else {
      target = new DefId(ref, "main");
    }
    if (!isValidNsid(target.nsid()) || !DEF_NAME.matcher(target.name()).matches()) {
      throw refNode.fail("'" + ref + "' is not a valid reference");
    }
    RawDoc targetDoc = docs.get(target.nsid());
    if (targetDoc == null) {
      throw refNode.fail(
          "ref '" + ref + "' does not resolve: no lexicon has id '" + target.nsid() + "'");
    }
    if (!targetDoc.defs().has(target.name())) {
      throw refNode.fail(
          "ref '"
              + ref
              + "' does not resolve: "
              + target.nsid()
              + " has no definition '"
              + target.name()
              + "'");
    }
    Optional<String> description = node.optionalString("description");
    LexDef def = def(target);
    return switch (def) {
      case LexObject o -> new LexRef(description, target);
      case LexString s -> s.withDescription(description.or(s::description));
      case LexInteger i -> i.withDescription(description.or(i::description));
      case LexBoolean b -> b.withDescription(description.or(b::description));
      case LexArray a -> a.withDescription(description.or(a::description));
      case LexMethod m ->
          throw refNode.fail(
              "ref '"
                  + ref
                  + "' points to a "
                  + typeOf(targetDoc.defs().get(target.name()))
                  + ", which cannot be a field type");
    };
  }

  // ---- primitives ----

  private static LexString string(JsonNode node) {
    node.allowKeys(
        Set.of(
            "type",
            "description",
            "format",
            "default",
            "minLength",
            "maxLength",
            "minGraphemes",
            "maxGraphemes",
            "enum",
            "const",
            "knownValues"));
    node.unsupportedKeys("minGraphemes", "maxGraphemes");
    Optional<LexStringFormat> format = Optional.empty();
    if (node.has("format")) {
      JsonNode formatNode = node.get("format");
      String name = formatNode.string();
      if (!LEXICON_STRING_FORMATS.contains(name)) {
        throw formatNode.fail("unknown string format '" + name + "'");
      }
      format = LexStringFormat.forName(name);
      if (format.isEmpty()) {
        throw formatNode.fail("string format '" + name + "' is not supported by lexicon-codegen");
      }
    }
    OptionalInt min = node.optionalLength("minLength");
    OptionalInt max = node.optionalLength("maxLength");
    checkRange(node, min, max);
    List<String> enumValues = node.optionalStrings("enum");
    List<String> knownValues = node.optionalStrings("knownValues");
    if (node.has("enum") && enumValues.isEmpty()) {
      throw node.get("enum").fail("enum needs at least one value");
    }
    if (node.has("knownValues") && knownValues.isEmpty()) {
      throw node.get("knownValues").fail("knownValues needs at least one value");
    }
    if (!enumValues.isEmpty() && !knownValues.isEmpty()) {
      throw node.fail("use either 'enum' or 'knownValues', not both (lexicon-codegen)");
    }
    Optional<String> constValue = node.optionalString("const");
    Optional<String> defaultValue = node.optionalString("default");
    if (format.isPresent() && (constValue.isPresent() || defaultValue.isPresent())) {
      throw node.fail(
          "'const' and 'default' on a string with a format are not supported by lexicon-codegen");
    }
    List<String> allowed = enumValues.isEmpty() ? knownValues : enumValues;
    for (String key : List.of("enum", "knownValues", "const", "default")) {
      if (!node.has(key)) {
        continue;
      }
      JsonNode valueNode = node.get(key);
      List<String> values =
          key.equals("enum") || key.equals("knownValues")
              ? valueNode.strings()
              : List.of(valueNode.string());
      for (String value : values) {
        int bytes = value.getBytes(StandardCharsets.UTF_8).length;
        if ((min.isPresent() && bytes < min.getAsInt())
            || (max.isPresent() && bytes > max.getAsInt())) {
          throw valueNode.fail("'" + value + "' breaks the string's length limits");
        }
        if ((key.equals("const") || key.equals("default"))
            && !allowed.isEmpty()
            && !allowed.contains(value)) {
          throw valueNode.fail("'" + value + "' is not one of the allowed values");
        }
      }
    }
    if (constValue.isPresent() && defaultValue.isPresent() && !constValue.equals(defaultValue)) {
      throw node.get("default").fail("the default differs from the const");
    }
    return new LexString(
        node.optionalString("description"),
        format,
        min,
        max,
        enumValues,
        knownValues,
        constValue,
        defaultValue);
  }

  private static LexInteger integer(JsonNode node) {
    node.allowKeys(Set.of("type", "description", "minimum", "maximum", "enum", "const", "default"));
    OptionalLong min = node.optionalInteger("minimum");
    OptionalLong max = node.optionalInteger("maximum");
    if (min.isPresent() && max.isPresent() && min.getAsLong() > max.getAsLong()) {
      throw node.fail("minimum is greater than maximum");
    }
    List<Long> enumValues = new ArrayList<>();
    if (node.has("enum")) {
      List<JsonNode> items = node.get("enum").items();
      if (items.isEmpty()) {
        throw node.get("enum").fail("enum needs at least one value");
      }
      for (JsonNode item : items) {
        long value = item.integer();
        if (enumValues.contains(value)) {
          throw item.fail("duplicate value " + value);
        }
        enumValues.add(value);
      }
    }
    OptionalLong constValue = node.optionalInteger("const");
    OptionalLong defaultValue = node.optionalInteger("default");
    for (String key : List.of("const", "default")) {
      OptionalLong value = key.equals("const") ? constValue : defaultValue;
      if (value.isEmpty()) {
        continue;
      }
      long v = value.getAsLong();
      if ((min.isPresent() && v < min.getAsLong())
          || (max.isPresent() && v > max.getAsLong())
          || (!enumValues.isEmpty() && !enumValues.contains(v))) {
        throw node.get(key).fail(v + " breaks the integer's own limits");
      }
    }
    if (constValue.isPresent() && defaultValue.isPresent() && !constValue.equals(defaultValue)) {
      throw node.get("default").fail("the default differs from the const");
    }
    return new LexInteger(
        node.optionalString("description"), min, max, enumValues, constValue, defaultValue);
  }

  private static LexBoolean bool(JsonNode node) {
    node.allowKeys(Set.of("type", "description", "const", "default"));
    Optional<Boolean> constValue = node.optionalBool("const");
    Optional<Boolean> defaultValue = node.optionalBool("default");
    if (constValue.isPresent() && defaultValue.isPresent() && !constValue.equals(defaultValue)) {
      throw node.get("default").fail("the default differs from the const");
    }
    return new LexBoolean(node.optionalString("description"), constValue, defaultValue);
  }

  // ---- checks ----

  private static void checkRange(JsonNode node, OptionalInt min, OptionalInt max) {
    if (min.isPresent() && max.isPresent() && min.getAsInt() > max.getAsInt()) {
      throw node.fail("minLength is greater than maxLength");
    }
  }

  /** A list of property names ({@code required}, {@code nullable}) that must all exist. */
  private static Set<String> names(JsonNode node, String key, JsonNode properties) {
    if (!node.has(key)) {
      return Set.of();
    }
    JsonNode list = node.get(key);
    for (JsonNode item : list.items()) {
      if (!properties.has(item.string())) {
        throw item.fail("'" + item.string() + "' is not a property");
      }
    }
    return Set.copyOf(list.strings());
  }

  /** Every property must become a distinct Java name, and a distinct rule constant. */
  private static void checkMemberNames(JsonNode properties, List<LexProperty> result) {
    Map<String, String> members = new HashMap<>();
    Map<String, String> constants = new HashMap<>();
    for (LexProperty property : result) {
      JsonNode node = properties.get(property.name());
      String member =
          JavaNames.memberName(property.name())
              .orElseThrow(
                  () -> node.fail("'" + property.name() + "' cannot be mapped to a Java name"));
      String other = members.putIfAbsent(member, property.name());
      if (other != null) {
        throw node.fail(
            "'" + property.name() + "' and '" + other + "' both map to the Java name " + member);
      }
      String constant = JavaNames.constantName(member);
      other = constants.putIfAbsent(constant, property.name());
      if (other != null) {
        throw node.fail(
            "'" + property.name() + "' and '" + other + "' both map to the constant " + constant);
      }
    }
  }

  /** Generated classes, nested records and handlers must not collide. */
  private void checkJavaNames(Lexicons lexicons) {
    Map<String, String> classes = new HashMap<>();
    Map<String, String> handlers = new HashMap<>();
    for (LexiconDocument document : lexicons.documents()) {
      RawDoc doc = docs.get(document.id());
      JsonNode idNode = doc.root().get("id");
      String className =
          JavaNames.className(document.id())
              .orElseThrow(() -> idNode.fail("the name cannot be mapped to a Java class name"));
      String relativePackage = JavaNames.packageName("", document.id());
      if (relativePackage.isEmpty() && JavaNames.BASE_PACKAGE_TYPES.contains(className)) {
        throw idNode.fail("class name " + className + " is reserved for generated routing");
      }
      if (relativePackage.equals("." + JavaNames.CLIENT_SUBPACKAGE)
          && className.equals(JavaNames.CLIENT_CLASS)) {
        throw idNode.fail("class name " + className + " is reserved for the generated client");
      }
      String other = classes.putIfAbsent(relativePackage + "." + className, document.id());
      if (other != null) {
        throw idNode.fail("generates the same class as " + other);
      }
      Set<String> nested = new HashSet<>();
      boolean isMethod = document.method().isPresent();
      if (isMethod) {
        nested.addAll(JavaNames.METHOD_MEMBER_TYPES);
        String handler = JavaNames.handlerName(document.id()).orElseThrow();
        String previous = handlers.putIfAbsent(handler, document.id());
        if (previous != null) {
          throw idNode.fail("handler name " + handler + " is also used by " + previous);
        }
      }
      for (String name : document.defs().keySet()) {
        if (isMethod && name.equals("main")) {
          continue;
        }
        JsonNode defNode = doc.defs().get(name);
        String type =
            JavaNames.typeName(name)
                .orElseThrow(() -> defNode.fail("'" + name + "' cannot be mapped to a Java name"));
        if (type.equals(className) || !nested.add(type)) {
          throw defNode.fail("definition '" + name + "' would generate a second type " + type);
        }
      }
    }
  }

  /** NSID syntax, as {@code @atproto/syntax} checks it. */
  static boolean isValidNsid(String s) {
    if (s.length() > 317) {
      return false;
    }
    String[] segments = s.split("\\.", -1);
    if (segments.length < 3) {
      return false;
    }
    for (int i = 0; i < segments.length - 1; i++) {
      if (!NSID_DOMAIN_SEGMENT.matcher(segments[i]).matches()) {
        return false;
      }
    }
    return !Character.isDigit(segments[0].charAt(0))
        && NSID_NAME.matcher(segments[segments.length - 1]).matches();
  }
}
