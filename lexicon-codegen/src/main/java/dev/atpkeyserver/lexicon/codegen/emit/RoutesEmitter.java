package dev.atpkeyserver.lexicon.codegen.emit;

import dev.atpkeyserver.lexicon.codegen.model.LexMethod;
import dev.atpkeyserver.lexicon.codegen.model.LexProcedure;
import dev.atpkeyserver.lexicon.codegen.model.LexiconDocument;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Emits the two classes that tie every method together: {@code XrpcHandlers}, a record with one
 * handler per method (so a lexicon without a handler breaks compilation, not a request), and {@code
 * XrpcRoutes}, the Helidon {@code HttpService} that authenticates, validates, dispatches and
 * answers. Generated method classes are named by their qualified names here, because different
 * packages may hold classes with the same simple name (two {@code ListVersions}).
 */
final class RoutesEmitter {

  private static final String SOURCE_ALL = "/**/*.json";
  private static final String RUNTIME = "dev.atpkeyserver.xrpc.";

  private final Naming naming;
  private final String lexiconDir;
  private final List<LexiconDocument> methods;

  /**
   * @param naming where generated types live
   * @param lexiconDir the lexicon directory's name, for headers
   * @param methods the method documents, sorted by NSID
   */
  RoutesEmitter(Naming naming, String lexiconDir, List<LexiconDocument> methods) {
    this.naming = naming;
    this.lexiconDir = lexiconDir;
    this.methods = methods;
  }

  String handlers() {
    JavaFile file =
        new JavaFile(lexiconDir + SOURCE_ALL, naming.basePackage(), Set.of("XrpcHandlers"));
    SourceWriter w = file.body();
    List<String> doc = new ArrayList<>();
    doc.add(
        "The handlers of every XRPC method the lexicons define, one component per method,"
            + " sorted by NSID. Because every component is required, a method added to the"
            + " lexicons without a handler fails the server's compilation instead of a request.");
    for (LexiconDocument method : methods) {
      doc.add("@param " + handlerName(method) + " handles " + Literals.code(method.id()));
    }
    w.javadoc(doc);
    w.line(file.generatedAnnotation());
    if (methods.isEmpty()) {
      w.line("public record XrpcHandlers() {}");
      return file.render();
    }
    w.line("public record XrpcHandlers(");
    for (int i = 0; i < methods.size(); i++) {
      LexiconDocument method = methods.get(i);
      w.continuation(
          naming.qualifiedClassOf(method.id())
              + ".Handler "
              + handlerName(method)
              + (i < methods.size() - 1 ? "," : ") {"));
    }
    w.indent();
    w.javadoc(List.of("Checks that every handler is present."));
    w.open("public XrpcHandlers {");
    String objects = file.imports().use("java.util.Objects");
    for (LexiconDocument method : methods) {
      String name = handlerName(method);
      w.line(objects + ".requireNonNull(" + name + ", " + Literals.string(name) + ");");
    }
    w.close("}");
    w.close("}");
    return file.render();
  }

  String routes() {
    JavaFile file =
        new JavaFile(lexiconDir + SOURCE_ALL, naming.basePackage(), Set.of("XrpcRoutes"));
    SourceWriter w = file.body();
    Imports imports = file.imports();
    String authenticator = imports.use(RUNTIME + "XrpcAuthenticator");
    String xrpcMethod = imports.use(RUNTIME + "XrpcMethod");
    String responses = imports.use(RUNTIME + "XrpcResponses");
    String bodies = imports.use(RUNTIME + "JsonBodies");
    String list = imports.use("java.util.List");
    String objects = imports.use("java.util.Objects");
    String request = imports.use("io.helidon.webserver.http.ServerRequest");
    String response = imports.use("io.helidon.webserver.http.ServerResponse");
    String rules = imports.use("io.helidon.webserver.http.HttpRules");
    String service = imports.use("io.helidon.webserver.http.HttpService");
    String call = imports.use(RUNTIME + "XrpcCall");

    w.javadoc(
        List.of(
            "Serves every XRPC method the lexicons define. Register it under {@code /xrpc}: {@code"
                + " routing.register(\"/xrpc\", new XrpcRoutes(authenticator, handlers))}.",
            "Each request is authenticated first, before anything in it is parsed; then its query"
                + " parameters and JSON body are validated against the lexicon, the handler is"
                + " called, and its output is sent as JSON with status 200. Failures are thrown as"
                + " {@code KeyserverException}; the server's error handler writes them.",
            "A known method called with the wrong HTTP method answers 400, any other path under"
                + " {@code /xrpc} 501, as the reference XRPC server does. A trailing slash after"
                + " the NSID is accepted."));
    w.line(file.generatedAnnotation());
    w.open("public final class XrpcRoutes implements " + service + " {");
    w.blank();
    w.javadoc(List.of("Every method, sorted by NSID."));
    if (methods.isEmpty()) {
      w.line("public static final " + list + "<" + xrpcMethod + "> METHODS = " + list + ".of();");
    } else {
      w.line("public static final " + list + "<" + xrpcMethod + "> METHODS =");
      w.continuation(list + ".of(");
      for (int i = 0; i < methods.size(); i++) {
        w.continuation(
            "    "
                + naming.qualifiedClassOf(methods.get(i).id())
                + ".METHOD"
                + (i < methods.size() - 1 ? "," : ");"));
      }
    }
    w.blank();
    w.line("private final " + authenticator + " authenticator;");
    w.line("private final XrpcHandlers handlers;");
    w.line("private final int maxBodyBytes;");
    w.blank();
    w.javadoc(
        List.of(
            "Routes with the default body size limit, {@code JsonBodies.DEFAULT_MAX_BYTES}.",
            "@param authenticator decides who calls each method; called first on every request",
            "@param handlers the method implementations"));
    w.open("public XrpcRoutes(" + authenticator + " authenticator, XrpcHandlers handlers) {");
    w.line("this(authenticator, handlers, " + bodies + ".DEFAULT_MAX_BYTES);");
    w.close("}");
    w.blank();
    w.javadoc(
        List.of(
            "Routes with a body size limit; a larger body is refused with 413.",
            "@param authenticator decides who calls each method; called first on every request",
            "@param handlers the method implementations",
            "@param maxBodyBytes the largest accepted request body, in bytes"));
    w.open(
        "public XrpcRoutes("
            + authenticator
            + " authenticator, XrpcHandlers handlers, int maxBodyBytes) {");
    w.line(
        "this.authenticator = " + objects + ".requireNonNull(authenticator, \"authenticator\");");
    w.line("this.handlers = " + objects + ".requireNonNull(handlers, \"handlers\");");
    w.line("this.maxBodyBytes = " + bodies + ".checkLimit(maxBodyBytes);");
    w.close("}");
    w.blank();
    w.line("@" + imports.use("java.lang.Override"));
    w.open("public void routing(" + rules + " rules) {");
    for (LexiconDocument method : methods) {
      String verb = method.method().orElseThrow() instanceof LexProcedure ? "post" : "get";
      String nsid = naming.qualifiedClassOf(method.id()) + ".NSID";
      String target = "this::" + routeMethod(method);
      w.line("rules." + verb + "(\"/\" + " + nsid + ", " + target + ");");
      w.line("rules." + verb + "(\"/\" + " + nsid + " + \"/\", " + target + ");");
    }
    w.comment("The right path with the wrong HTTP method: 400, as the reference server answers.");
    w.open("for (" + xrpcMethod + " method : METHODS) {");
    w.line("rules.any(\"/\" + method.nsid(), " + responses + ".wrongHttpMethod(method));");
    w.line("rules.any(\"/\" + method.nsid() + \"/\", " + responses + ".wrongHttpMethod(method));");
    w.close("}");
    w.comment("Anything else under /xrpc names no method we implement: 501.");
    w.line("rules.any(" + responses + "::notImplemented);");
    w.close("}");

    for (LexiconDocument method : methods) {
      LexMethod m = method.method().orElseThrow();
      String type = naming.qualifiedClassOf(method.id());
      List<String> arguments = new ArrayList<>();
      w.blank();
      w.open(
          "private void " + routeMethod(method) + "(" + request + " req, " + response + " res) {");
      w.line(call + " call = authenticator.authenticate(" + type + ".NSID, req);");
      if (m.parameters().isPresent()) {
        w.line(type + ".Params params = " + type + ".Params.fromQuery(req.query());");
        arguments.add("params");
      }
      if (m.input().isPresent()) {
        w.line(
            type
                + ".Input input = "
                + type
                + ".Input.fromJson("
                + bodies
                + ".read(req, maxBodyBytes), \"\");");
        arguments.add("input");
      }
      arguments.add("call");
      w.line(
          responses
              + ".sendJson(res, handlers."
              + handlerName(method)
              + "().handle("
              + String.join(", ", arguments)
              + "));");
      w.close("}");
    }
    w.close("}");
    return file.render();
  }

  private static String handlerName(LexiconDocument method) {
    return JavaNames.handlerName(method.id()).orElseThrow();
  }

  private static String routeMethod(LexiconDocument method) {
    String handler = handlerName(method);
    return "on"
        + JavaNames.upperFirst(
            handler.endsWith("_") ? handler.substring(0, handler.length() - 1) : handler);
  }
}
