package dev.atpkeyserver.lexicon.codegen.emit;

import dev.atpkeyserver.lexicon.codegen.model.LexError;
import dev.atpkeyserver.lexicon.codegen.model.LexMethod;
import dev.atpkeyserver.lexicon.codegen.model.LexProcedure;
import dev.atpkeyserver.lexicon.codegen.model.LexiconDocument;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Emits {@code KeyserverClient}: one method per XRPC method, named like its handler in {@code
 * XrpcHandlers} ({@code groupGetKey}), taking the method's generated {@code Params} and {@code
 * Input} records and returning its {@code Output} record. Each method is one line that hands the
 * NSID, the records and the output's reader to the runtime's {@code XrpcClient}, which does the
 * HTTP, the authentication and the error handling; so the generated text stays small and the logic
 * stays in hand-written, separately tested code.
 */
final class ClientEmitter {

  private static final String CLIENT_RUNTIME = "dev.atpkeyserver.xrpc.client.";

  private final Naming naming;
  private final String lexiconDir;
  private final List<LexiconDocument> methods;

  /**
   * @param naming where generated types live
   * @param lexiconDir the lexicon directory's name, for headers
   * @param methods the method documents, sorted by NSID
   */
  ClientEmitter(Naming naming, String lexiconDir, List<LexiconDocument> methods) {
    this.naming = naming;
    this.lexiconDir = lexiconDir;
    this.methods = methods;
  }

  String emit() {
    String className = JavaNames.CLIENT_CLASS;
    JavaFile file =
        new JavaFile(lexiconDir + "/**/*.json", naming.clientPackage(), Set.of(className));
    Imports imports = file.imports();
    SourceWriter w = file.body();
    String xrpcClient = imports.use(CLIENT_RUNTIME + "XrpcClient");
    String exception = imports.use(CLIENT_RUNTIME + "XrpcClientException");

    w.javadoc(
        List.of(
            "A typed client of every XRPC method the lexicons define: one method per NSID, taking"
                + " the method's generated {@code Params} and {@code Input} records and returning"
                + " its {@code Output} record.",
            "It sends through an {@link "
                + xrpcClient
                + "}, which decides where calls go and how they are authenticated: straight to"
                + " the service with a service auth token per call, or through the user's PDS with"
                + " {@code atproto-proxy}. Immutable and thread-safe when the "
                + xrpcClient
                + " is.",
            "For example: {@code new KeyserverClient(XrpcClient.builder(keyserverUrl)"
                + ".serviceAuth(tokens).build()).groupGetKey(params)}."));
    w.line(file.generatedAnnotation());
    w.open("public final class " + className + " {");
    w.blank();
    w.line("private final " + xrpcClient + " xrpc;");
    w.blank();
    w.javadoc(
        List.of(
            "A client sending through {@code xrpc}.",
            "@param xrpc where calls go and how they are authenticated"));
    w.open("public " + className + "(" + xrpcClient + " xrpc) {");
    w.line("this.xrpc = " + imports.use("java.util.Objects") + ".requireNonNull(xrpc, \"xrpc\");");
    w.close("}");

    for (LexiconDocument document : methods) {
      w.blank();
      method(w, imports, exception, document);
    }
    w.close("}");
    return file.render();
  }

  private void method(SourceWriter w, Imports imports, String exception, LexiconDocument document) {
    LexMethod method = document.method().orElseThrow();
    boolean procedure = method instanceof LexProcedure;
    // Simple names where unambiguous; the second of two ListVersions classes stays qualified.
    String type = imports.use(naming.qualifiedClassOf(document.id()));
    String name = JavaNames.handlerName(document.id()).orElseThrow();

    List<String> doc = new ArrayList<>();
    doc.add(
        "Calls "
            + Literals.code(document.id())
            + " ("
            + Literals.code((procedure ? "POST" : "GET") + " /xrpc/" + document.id())
            + ")"
            + method.description().map(d -> ": " + Literals.javadoc(d)).orElse("."));
    List<String> parameters = new ArrayList<>();
    String params = imports.use("dev.atpkeyserver.xrpc.QueryWritable") + ".NONE";
    if (method.parameters().isPresent()) {
      parameters.add(type + ".Params params");
      doc.add("@param params the query parameters");
      params = "params";
    }
    if (method.input().isPresent()) {
      parameters.add(type + ".Input input");
      doc.add("@param input the request body");
    }
    doc.add("@return the output");
    List<String> errors = method.errors().stream().map(LexError::name).toList();
    doc.add(
        "@throws "
            + exception
            + " when the server answers with an error"
            + (errors.isEmpty()
                ? ""
                : " (the lexicon declares "
                    + String.join(", ", errors.stream().map(Literals::code).toList())
                    + ")")
            + " or with something other than the output");
    doc.add("@throws " + imports.use("java.io.UncheckedIOException") + " when no answer comes");
    w.javadoc(doc);
    w.open("public " + type + ".Output " + name + "(" + String.join(", ", parameters) + ") {");
    String reader = type + ".Output::fromJson";
    if (!procedure) {
      w.line("return xrpc.query(" + type + ".NSID, " + params + ", " + reader + ");");
    } else if (method.input().isPresent()) {
      w.line("return xrpc.procedure(" + type + ".NSID, " + params + ", input, " + reader + ");");
    } else {
      w.line("return xrpc.procedure(" + type + ".NSID, " + params + ", " + reader + ");");
    }
    w.close("}");
  }
}
