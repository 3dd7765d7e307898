package dev.atpkeyserver.lexicon.codegen.emit;

import dev.atpkeyserver.lexicon.codegen.model.DefId;
import dev.atpkeyserver.lexicon.codegen.model.LexDef;
import dev.atpkeyserver.lexicon.codegen.model.LexError;
import dev.atpkeyserver.lexicon.codegen.model.LexMethod;
import dev.atpkeyserver.lexicon.codegen.model.LexObject;
import dev.atpkeyserver.lexicon.codegen.model.LexProcedure;
import dev.atpkeyserver.lexicon.codegen.model.LexiconDocument;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Emits the class for one lexicon document. For a method: {@code NSID}, {@code METHOD}, {@code
 * ERRORS}, the {@code Params}, {@code Input} and {@code Output} records it needs and the {@code
 * Handler} interface. For a definitions document: a record per object definition. Local object
 * definitions become nested records either way.
 */
final class ClassEmitter {

  private final Naming naming;
  private final String lexiconDir;

  ClassEmitter(Naming naming, String lexiconDir) {
    this.naming = naming;
    this.lexiconDir = lexiconDir;
  }

  /** Whether a document produces a class: methods always, others if they define an object. */
  static boolean producesClass(LexiconDocument doc) {
    return doc.method().isPresent()
        || doc.defs().values().stream().anyMatch(LexObject.class::isInstance);
  }

  /**
   * The class for a document.
   *
   * @param doc the document, for which {@link #producesClass} is true
   * @return the source text
   */
  String emit(LexiconDocument doc) {
    String className = naming.classOf(doc.id());
    Map<String, LexObject> records = new TreeMap<>();
    for (Map.Entry<String, LexDef> def : doc.defs().entrySet()) {
      if (def.getValue() instanceof LexObject object) {
        records.put(naming.recordOf(new DefId(doc.id(), def.getKey())), object);
      }
    }
    Set<String> reserved = new HashSet<>(records.keySet());
    reserved.add(className);
    Optional<LexMethod> method = doc.method();
    if (method.isPresent()) {
      reserved.addAll(JavaNames.METHOD_MEMBER_TYPES);
    }
    JavaFile file =
        new JavaFile(lexiconDir + "/" + doc.file(), naming.packageOf(doc.id()), reserved);
    SourceWriter w = file.body();
    TypeEmitter types = new TypeEmitter(naming, file.imports(), doc.id());

    List<String> classDoc = new ArrayList<>();
    String description =
        method
            .flatMap(LexMethod::description)
            .or(doc::description)
            .map(Literals::javadoc)
            .orElse("");
    classDoc.add(Literals.code(doc.id()) + (description.isEmpty() ? "" : ": " + description));
    method.ifPresent(m -> classDoc.addAll(methodNotes(doc.id(), m)));
    if (method.isEmpty()) {
      classDoc.add(
          "Records for the object definitions of this lexicon; other definitions are"
              + " inlined where they are referenced.");
    }
    w.javadoc(classDoc);
    w.line(file.generatedAnnotation());
    w.open("public final class " + className + " {");

    if (method.isPresent()) {
      methodConstants(w, file.imports(), doc.id(), method.get());
    }
    w.blank();
    w.line("private " + className + "() {}");

    if (method.isPresent()) {
      LexMethod m = method.get();
      if (m.parameters().isPresent()) {
        w.blank();
        types.paramsRecord(w, m.parameters().get());
      }
      if (m.input().isPresent()) {
        w.blank();
        types.objectRecord(
            w,
            "Input",
            m.input().get().schema(),
            bodyDoc("The request body.", m.input().get().description(), m.input().get().schema()));
      }
      w.blank();
      types.objectRecord(
          w,
          "Output",
          m.output().schema(),
          bodyDoc("The response body.", m.output().description(), m.output().schema()));
      w.blank();
      handler(w, file.imports(), doc.id(), m);
    }
    for (Map.Entry<String, LexObject> record : records.entrySet()) {
      w.blank();
      types.objectRecord(
          w,
          record.getKey(),
          record.getValue(),
          List.of(
              record
                  .getValue()
                  .description()
                  .map(Literals::javadoc)
                  .orElse("A " + Literals.code(record.getKey()) + " object.")));
    }
    w.close("}");
    return file.render();
  }

  private static List<String> bodyDoc(
      String fallback, Optional<String> bodyDescription, LexObject schema) {
    List<String> doc = new ArrayList<>();
    doc.add(bodyDescription.map(Literals::javadoc).orElse(fallback));
    schema.description().map(Literals::javadoc).ifPresent(doc::add);
    return doc;
  }

  private static List<String> methodNotes(String nsid, LexMethod method) {
    List<String> notes = new ArrayList<>();
    boolean procedure = method instanceof LexProcedure;
    notes.add(
        (procedure ? "A procedure: " : "A query: ")
            + Literals.code((procedure ? "POST" : "GET") + " /xrpc/" + nsid)
            + ".");
    if (!method.errors().isEmpty()) {
      List<String> errors = new ArrayList<>();
      for (LexError error : method.errors()) {
        errors.add(
            Literals.code(error.name())
                + error
                    .description()
                    .map(
                        d ->
                            " ("
                                + Literals.javadoc(
                                    d.endsWith(".") ? d.substring(0, d.length() - 1) : d)
                                + ")")
                    .orElse(""));
      }
      notes.add("Declared errors: " + String.join("; ", errors) + ".");
    }
    return notes;
  }

  private static void methodConstants(
      SourceWriter w, Imports imports, String nsid, LexMethod method) {
    String xrpcMethod = imports.use("dev.atpkeyserver.xrpc.XrpcMethod");
    String kind = method instanceof LexProcedure ? "PROCEDURE" : "QUERY";
    w.blank();
    w.javadoc(List.of("The method's NSID."));
    String string = imports.use("java.lang.String");
    w.line("public static final " + string + " NSID = " + Literals.string(nsid) + ";");
    w.blank();
    w.javadoc(
        List.of(
            "The method: its NSID and kind (" + kind.toLowerCase(java.util.Locale.ROOT) + ")."));
    w.line(
        "public static final "
            + xrpcMethod
            + " METHOD = new "
            + xrpcMethod
            + "(NSID, "
            + xrpcMethod
            + ".Kind."
            + kind
            + ");");
    w.blank();
    w.javadoc(List.of("The names of the errors the lexicon declares, in lexicon order."));
    String list = imports.use("java.util.List");
    w.line(
        "public static final "
            + list
            + "<"
            + string
            + "> ERRORS = "
            + list
            + ".of("
            + Literals.strings(method.errors().stream().map(LexError::name).toList())
            + ");");
  }

  private static void handler(SourceWriter w, Imports imports, String nsid, LexMethod method) {
    String call = imports.use("dev.atpkeyserver.xrpc.XrpcCall");
    List<String> parameters = new ArrayList<>();
    List<String> doc = new ArrayList<>();
    doc.add(
        "Handles one call, after the caller was authenticated and the request validated against"
            + " the lexicon. Handlers throw "
            + imports.use("dev.atpkeyserver.xrpc.KeyserverException")
            + " for failures; its message is shown to the client.");
    if (method.parameters().isPresent()) {
      parameters.add("Params params");
      doc.add("@param params the query parameters, with defaults applied");
    }
    if (method.input().isPresent()) {
      parameters.add("Input input");
      doc.add("@param input the request body");
    }
    parameters.add(call + " call");
    doc.add("@param call who is calling, and from where");
    doc.add("@return the output, sent as JSON with status 200");
    w.javadoc(List.of("Implements " + Literals.code(nsid) + "."));
    w.line("@" + imports.use("java.lang.FunctionalInterface"));
    w.open("public interface Handler {");
    w.javadoc(doc);
    w.line("Output handle(" + String.join(", ", parameters) + ");");
    w.close("}");
  }
}
