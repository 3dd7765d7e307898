package dev.atpkeyserver.lexicon.codegen.emit;

import dev.atpkeyserver.lexicon.codegen.model.DefId;
import dev.atpkeyserver.lexicon.codegen.model.LexArray;
import dev.atpkeyserver.lexicon.codegen.model.LexBoolean;
import dev.atpkeyserver.lexicon.codegen.model.LexInteger;
import dev.atpkeyserver.lexicon.codegen.model.LexObject;
import dev.atpkeyserver.lexicon.codegen.model.LexParams;
import dev.atpkeyserver.lexicon.codegen.model.LexPrimitive;
import dev.atpkeyserver.lexicon.codegen.model.LexProperty;
import dev.atpkeyserver.lexicon.codegen.model.LexRef;
import dev.atpkeyserver.lexicon.codegen.model.LexString;
import dev.atpkeyserver.lexicon.codegen.model.LexType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Emits the records of one generated class: a record per object (with {@code fromJson} and {@code
 * writeJson}) and the {@code Params} record (with {@code fromQuery} and {@code writeQuery}). Every
 * property's Lexicon rules become a {@code private static final} constant built from the runtime's
 * rule classes, so a request is checked without any reflection or schema lookup.
 */
final class TypeEmitter {

  private static final String RUNTIME = "dev.atpkeyserver.xrpc.";

  private final Naming naming;
  private final Imports imports;
  private final String nsid;

  /**
   * @param naming where generated types live
   * @param imports the imports of the file being written
   * @param nsid the document the records belong to, so local references use nested names
   */
  TypeEmitter(Naming naming, Imports imports, String nsid) {
    this.naming = naming;
    this.imports = imports;
    this.nsid = nsid;
  }

  // ---- records for objects ----

  /**
   * Writes a record for an object.
   *
   * @param w the writer
   * @param name the record's simple name
   * @param object the object
   * @param doc the record's Javadoc paragraphs (already escaped)
   */
  void objectRecord(SourceWriter w, String name, LexObject object, List<String> doc) {
    List<LexProperty> properties = object.properties();
    List<String> javadoc = new ArrayList<>(doc);
    for (LexProperty p : properties) {
      javadoc.add("@param " + member(p) + " " + propertyDoc(p));
    }
    w.javadoc(javadoc);
    String writable = imports.use(RUNTIME + "JsonWritable");
    w.open(
        "public record " + name + "(" + components(properties) + ") implements " + writable + " {");
    ruleConstants(w, properties, false);
    compactConstructor(w, name, properties);

    String jsonValue = imports.use("jakarta.json.JsonValue");
    w.blank();
    w.javadoc(
        List.of(
            "Reads and validates the JSON form, ignoring members the lexicon does not declare.",
            "@param json the JSON value, which must be an object",
            "@param path where the value is in the request body, empty for the body itself; used"
                + " in error messages",
            "@return the record",
            "@throws "
                + imports.use(RUNTIME + "KeyserverException")
                + " 400 naming the first member that breaks a rule"));
    w.open(
        "public static "
            + name
            + " fromJson("
            + jsonValue
            + " json, "
            + imports.use("java.lang.String")
            + " path) {");
    String jsonFields = imports.use(RUNTIME + "JsonFields");
    if (properties.isEmpty()) {
      w.line(jsonFields + ".of(json, path); // checks that it is an object");
      w.line("return new " + name + "();");
    } else {
      w.line(jsonFields + " fields = " + jsonFields + ".of(json, path);");
      w.line("return new " + name + "(");
      for (int i = 0; i < properties.size(); i++) {
        w.continuation(jsonRead(properties.get(i)) + (i < properties.size() - 1 ? "," : ");"));
      }
    }
    w.close("}");

    String jsonOut = imports.use(RUNTIME + "JsonOut");
    w.blank();
    w.line("@" + imports.use("java.lang.Override"));
    w.open("public void writeJson(" + jsonOut + " out) {");
    w.line("out.beginObject();");
    for (LexProperty p : properties) {
      writeProperty(w, p);
    }
    w.line("out.endObject();");
    w.close("}");
    redactingToString(w, name, properties);
    w.close("}");
  }

  /** For a record holding key material, a {@code toString()} that leaves the keys out. */
  private void redactingToString(SourceWriter w, String name, List<LexProperty> properties) {
    if (properties.stream().noneMatch(p -> JavaNames.SECRET_NAME.matcher(p.name()).matches())) {
      return;
    }
    List<String> parts = new ArrayList<>();
    for (LexProperty p : properties) {
      String member = member(p);
      parts.add(
          JavaNames.SECRET_NAME.matcher(p.name()).matches()
              ? Literals.string(member + "=<redacted>")
              : Literals.string(member + "=") + " + " + member);
    }
    w.blank();
    w.javadoc(List.of("Key material is redacted, so that logging this record cannot leak it."));
    w.line("@" + imports.use("java.lang.Override"));
    w.open("public " + imports.use("java.lang.String") + " toString() {");
    w.line(
        "return "
            + Literals.string(name + "[")
            + " + "
            + String.join(" + \", \" + ", parts)
            + " + \"]\";");
    w.close("}");
  }

  // ---- the Params record ----

  /**
   * Writes the {@code Params} record for a method's query parameters.
   *
   * @param w the writer
   * @param params the parameters
   */
  void paramsRecord(SourceWriter w, LexParams params) {
    List<LexProperty> properties = params.properties();
    List<String> javadoc = new ArrayList<>();
    javadoc.add(params.description().map(Literals::javadoc).orElse("The query parameters."));
    javadoc.add(
        "Parameters the lexicon does not declare are ignored; a single-valued parameter given"
            + " twice is refused.");
    for (LexProperty p : properties) {
      javadoc.add("@param " + member(p) + " " + propertyDoc(p));
    }
    w.javadoc(javadoc);
    w.open(
        "public record Params("
            + components(properties)
            + ") implements "
            + imports.use(RUNTIME + "QueryWritable")
            + " {");
    ruleConstants(w, properties, true);
    compactConstructor(w, "Params", properties);
    w.blank();
    String parameters = imports.use("io.helidon.common.parameters.Parameters");
    w.javadoc(
        List.of(
            "Reads and validates the query parameters.",
            "@param query the decoded query, such as {@code request.query()}",
            "@return the parameters, with defaults applied",
            "@throws "
                + imports.use(RUNTIME + "KeyserverException")
                + " 400 naming the first parameter that is missing, repeated or breaks a rule"));
    w.open("public static Params fromQuery(" + parameters + " query) {");
    String queryParams = imports.use(RUNTIME + "QueryParams");
    w.line(queryParams + " params = " + queryParams + ".of(query);");
    w.line("return new Params(");
    for (int i = 0; i < properties.size(); i++) {
      w.continuation(queryRead(properties.get(i)) + (i < properties.size() - 1 ? "," : ");"));
    }
    w.close("}");

    w.blank();
    w.javadoc(
        List.of(
            "Writes the parameters as a client sends them: each one that has a value, under its"
                + " wire name, an array as the name repeated per item. Values are not validated"
                + " here; the server checks them."));
    w.line("@" + imports.use("java.lang.Override"));
    w.open("public void writeQuery(" + imports.use(RUNTIME + "QueryOut") + " out) {");
    for (LexProperty p : properties) {
      writeParameter(w, p);
    }
    w.close("}");
    w.close("}");
  }

  private void writeParameter(SourceWriter w, LexProperty p) {
    String field = "this." + member(p);
    String name = Literals.string(p.name());
    String value = field;
    if (isOptional(p)) {
      w.open("if (" + field + ".isPresent()) {");
      value = field + ".get()";
    }
    if (p.type() instanceof LexArray array) {
      w.open("for (" + javaType(array.items(), true) + " item : " + value + ") {");
      w.line("out.add(" + name + ", item);");
      w.close("}");
    } else {
      w.line("out.add(" + name + ", " + value + ");");
    }
    if (isOptional(p)) {
      w.close("}");
    }
  }

  // ---- pieces ----

  /** The Java type of a property as a record component. */
  String componentType(LexProperty p) {
    String type = javaType(p.type(), isOptional(p));
    return isOptional(p) ? imports.use("java.util.Optional") + "<" + type + ">" : type;
  }

  /** Whether a property is an {@code Optional}: nullable, or neither required nor defaulted. */
  static boolean isOptional(LexProperty p) {
    boolean defaulted = p.type() instanceof LexPrimitive primitive && primitive.hasDefault();
    return p.nullable() || (!p.required() && !defaulted);
  }

  static String member(LexProperty p) {
    return JavaNames.memberName(p.name()).orElseThrow();
  }

  private String components(List<LexProperty> properties) {
    List<String> components = new ArrayList<>();
    for (LexProperty p : properties) {
      components.add(componentType(p) + " " + member(p));
    }
    return String.join(", ", components);
  }

  /** The Java type of a value; boxed when it goes inside a generic type. */
  private String javaType(LexType type, boolean boxed) {
    return switch (type) {
      case LexString s -> imports.use(s.isDatetime() ? "java.time.Instant" : "java.lang.String");
      case LexInteger i -> boxed ? imports.use("java.lang.Long") : "long";
      case LexBoolean b -> boxed ? imports.use("java.lang.Boolean") : "boolean";
      case LexArray a -> imports.use("java.util.List") + "<" + javaType(a.items(), true) + ">";
      case LexRef r -> recordName(r.target());
    };
  }

  private String recordName(DefId target) {
    String nested = naming.recordOf(target);
    if (target.nsid().equals(nsid)) {
      return nested;
    }
    return imports.use(naming.qualifiedClassOf(target.nsid())) + "." + nested;
  }

  private void ruleConstants(SourceWriter w, List<LexProperty> properties, boolean query) {
    boolean any = false;
    for (LexProperty p : properties) {
      Optional<String> declaration = ruleConstant(p, query);
      if (declaration.isPresent()) {
        if (!any) {
          w.blank();
          any = true;
        }
        w.line(declaration.get());
      }
    }
  }

  private Optional<String> ruleConstant(LexProperty p, boolean query) {
    String constant = JavaNames.constantName(member(p));
    return switch (p.type()) {
      case LexPrimitive primitive ->
          Optional.of(
              "private static final "
                  + ruleType(primitive)
                  + " "
                  + constant
                  + " = "
                  + ruleExpression(primitive)
                  + ";");
      case LexArray array when query ->
          Optional.of(
              "private static final "
                  + ruleType((LexPrimitive) array.items())
                  + " "
                  + constant
                  + " = "
                  + ruleExpression((LexPrimitive) array.items())
                  + ";");
      case LexArray array ->
          Optional.of(
              "private static final "
                  + imports.use(RUNTIME + "FieldType")
                  + "<"
                  + javaType(array, true)
                  + "> "
                  + constant
                  + " = "
                  + arrayRule(array)
                  + ".of("
                  + itemType(array.items())
                  + ");");
      case LexRef ref -> Optional.empty();
    };
  }

  private String itemType(LexType items) {
    return switch (items) {
      case LexPrimitive primitive -> ruleExpression(primitive);
      case LexRef ref -> recordName(ref.target()) + "::fromJson";
      case LexArray array -> throw new IllegalStateException("arrays of arrays");
    };
  }

  private String ruleType(LexPrimitive type) {
    return switch (type) {
      case LexString s when s.isDatetime() ->
          imports.use(RUNTIME + "ScalarType") + "<" + imports.use("java.time.Instant") + ">";
      case LexString s -> imports.use(RUNTIME + "StringRule");
      case LexInteger i -> imports.use(RUNTIME + "IntegerRule");
      case LexBoolean b -> imports.use(RUNTIME + "BooleanRule");
    };
  }

  private String ruleExpression(LexPrimitive type) {
    StringBuilder e = new StringBuilder();
    switch (type) {
      case LexString s -> {
        e.append(imports.use(RUNTIME + "StringRule")).append(".any()");
        s.minLength().ifPresent(n -> e.append(".minLength(").append(n).append(')'));
        s.maxLength().ifPresent(n -> e.append(".maxLength(").append(n).append(')'));
        s.format()
            .ifPresent(
                f ->
                    e.append(".format(")
                        .append(imports.use(RUNTIME + "StringFormat"))
                        .append('.')
                        .append(f.name())
                        .append(')'));
        if (!s.enumValues().isEmpty()) {
          e.append(".enumValues(").append(Literals.strings(s.enumValues())).append(')');
        }
        if (!s.knownValues().isEmpty()) {
          e.append(".knownValues(").append(Literals.strings(s.knownValues())).append(')');
        }
        s.constValue()
            .ifPresent(c -> e.append(".constValue(").append(Literals.string(c)).append(')'));
        if (s.isDatetime()) {
          e.append(".instant()");
        }
      }
      case LexInteger i -> {
        e.append(imports.use(RUNTIME + "IntegerRule")).append(".any()");
        i.minimum().ifPresent(n -> e.append(".minimum(").append(Literals.longValue(n)).append(')'));
        i.maximum().ifPresent(n -> e.append(".maximum(").append(Literals.longValue(n)).append(')'));
        if (!i.enumValues().isEmpty()) {
          e.append(".enumValues(")
              .append(String.join(", ", i.enumValues().stream().map(Literals::longValue).toList()))
              .append(')');
        }
        i.constValue()
            .ifPresent(n -> e.append(".constValue(").append(Literals.longValue(n)).append(')'));
      }
      case LexBoolean b -> {
        e.append(imports.use(RUNTIME + "BooleanRule")).append(".any()");
        b.constValue().ifPresent(c -> e.append(".constValue(").append(c).append(')'));
      }
    }
    return e.toString();
  }

  private String arrayRule(LexArray array) {
    StringBuilder e = new StringBuilder(imports.use(RUNTIME + "ArrayRule")).append(".any()");
    array.minLength().ifPresent(n -> e.append(".minLength(").append(n).append(')'));
    array.maxLength().ifPresent(n -> e.append(".maxLength(").append(n).append(')'));
    return e.toString();
  }

  private static String defaultLiteral(LexPrimitive type) {
    return switch (type) {
      case LexString s -> Literals.string(s.defaultValue().orElseThrow());
      case LexInteger i -> Literals.longValue(i.defaultValue().orElseThrow());
      case LexBoolean b -> b.defaultValue().orElseThrow().toString();
    };
  }

  private void compactConstructor(SourceWriter w, String record, List<LexProperty> properties) {
    List<String> statements = new ArrayList<>();
    String objects = null;
    for (LexProperty p : properties) {
      String name = member(p);
      boolean optional = isOptional(p);
      boolean reference =
          optional || !(p.type() instanceof LexInteger || p.type() instanceof LexBoolean);
      if (reference) {
        if (objects == null) {
          objects = imports.use("java.util.Objects");
        }
        statements.add(objects + ".requireNonNull(" + name + ", " + Literals.string(name) + ");");
      }
      if (p.type() instanceof LexArray) {
        String list = imports.use("java.util.List");
        statements.add(
            optional
                ? name + " = " + name + ".map(" + list + "::copyOf);"
                : name + " = " + list + ".copyOf(" + name + ");");
      }
    }
    if (statements.isEmpty()) {
      return;
    }
    boolean lists = properties.stream().anyMatch(p -> p.type() instanceof LexArray);
    w.blank();
    w.javadoc(
        List.of(
            lists
                ? "Checks that no component is null and makes lists immutable."
                : "Checks that no component is null."));
    w.open("public " + record + " {");
    statements.forEach(w::line);
    w.close("}");
  }

  private String jsonRead(LexProperty p) {
    String name = Literals.string(p.name());
    String type =
        p.type() instanceof LexRef ref
            ? recordName(ref.target()) + "::fromJson"
            : JavaNames.constantName(member(p));
    if (p.nullable()) {
      return "fields."
          + (p.required() ? "requiredNullable" : "optionalNullable")
          + "("
          + name
          + ", "
          + type
          + ")";
    }
    if (p.required()) {
      return "fields.required(" + name + ", " + type + ")";
    }
    if (p.type() instanceof LexPrimitive primitive && primitive.hasDefault()) {
      return "fields.optional("
          + name
          + ", "
          + type
          + ").orElse("
          + defaultLiteral(primitive)
          + ")";
    }
    return "fields.optional(" + name + ", " + type + ")";
  }

  private String queryRead(LexProperty p) {
    String name = Literals.string(p.name());
    String constant = JavaNames.constantName(member(p));
    if (p.type() instanceof LexArray array) {
      return "params."
          + (p.required() ? "requiredList" : "optionalList")
          + "("
          + name
          + ", "
          + constant
          + ", "
          + arrayRule(array)
          + ")";
    }
    if (p.required()) {
      return "params.required(" + name + ", " + constant + ")";
    }
    if (p.type() instanceof LexPrimitive primitive && primitive.hasDefault()) {
      return "params.optional("
          + name
          + ", "
          + constant
          + ").orElse("
          + defaultLiteral(primitive)
          + ")";
    }
    return "params.optional(" + name + ", " + constant + ")";
  }

  private void writeProperty(SourceWriter w, LexProperty p) {
    String field = "this." + member(p);
    String name = "out.name(" + Literals.string(p.name()) + ");";
    if (!isOptional(p)) {
      w.line(name);
      writeValue(w, field, p.type());
    } else if (p.required()) {
      // Required but nullable: always sent, as null when empty.
      w.line(name);
      w.open("if (" + field + ".isPresent()) {");
      writeValue(w, field + ".get()", p.type());
      w.reopen("} else {");
      w.line("out.nullValue();");
      w.close("}");
    } else {
      w.open("if (" + field + ".isPresent()) {");
      w.line(name);
      writeValue(w, field + ".get()", p.type());
      w.close("}");
    }
  }

  private void writeValue(SourceWriter w, String expression, LexType type) {
    if (type instanceof LexArray array) {
      w.line("out.beginArray();");
      w.open("for (" + javaType(array.items(), true) + " item : " + expression + ") {");
      w.line("out.value(item);");
      w.close("}");
      w.line("out.endArray();");
    } else {
      w.line("out.value(" + expression + ");");
    }
  }

  private static String propertyDoc(LexProperty p) {
    StringBuilder doc = new StringBuilder(Literals.code(p.name()));
    List<String> notes = new ArrayList<>();
    if (p.nullable()) {
      notes.add(p.required() ? "required, may be null" : "optional, may be null");
    } else if (!p.required()) {
      notes.add(
          p.type() instanceof LexPrimitive primitive && primitive.hasDefault()
              ? "default " + Literals.code(defaultText(primitive))
              : "optional");
    }
    if (!notes.isEmpty()) {
      doc.append(" (").append(String.join(", ", notes)).append(')');
    }
    p.type().description().ifPresent(d -> doc.append(": ").append(Literals.javadoc(d)));
    return doc.toString();
  }

  private static String defaultText(LexPrimitive type) {
    return switch (type) {
      case LexString s -> s.defaultValue().orElseThrow();
      case LexInteger i -> Long.toString(i.defaultValue().orElseThrow());
      case LexBoolean b -> b.defaultValue().orElseThrow().toString();
    };
  }
}
