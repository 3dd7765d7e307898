package dev.atpkeyserver.lexicon.codegen.docs;

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
import dev.atpkeyserver.lexicon.codegen.model.LexProcedure;
import dev.atpkeyserver.lexicon.codegen.model.LexProperty;
import dev.atpkeyserver.lexicon.codegen.model.LexQuery;
import dev.atpkeyserver.lexicon.codegen.model.LexRef;
import dev.atpkeyserver.lexicon.codegen.model.LexString;
import dev.atpkeyserver.lexicon.codegen.model.LexType;
import dev.atpkeyserver.lexicon.codegen.model.LexiconDocument;
import dev.atpkeyserver.lexicon.codegen.model.Lexicons;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Renders the method reference, a Markdown page: an index of every XRPC method, then per method its
 * HTTP call, whether it needs a service auth token, its description, parameters, input, output and
 * declared errors, and last the object definitions their fields refer to. Each field shows its wire
 * name, type, whether it is required (and may be null), its lexicon constraints and description.
 *
 * <p>Which methods need no token is not in the lexicons: the caller passes that decision in, with
 * the name of the place that makes it, so the page shows the server's rule instead of a copy.
 *
 * <p>The output is deterministic (methods by NSID, fields in lexicon order) and ends with one line
 * break, so it can be compared byte for byte with the committed page.
 */
public final class LexiconDocs {

  private static final Pattern FIRST_SENTENCE = Pattern.compile("^(.*?[.!?])(?:\\s|$)");

  private final String sourceDir;
  private final Predicate<String> isPublic;
  private final String authSource;
  private final Optional<String> regenerateCommand;

  /**
   * Creates a renderer.
   *
   * @param sourceDir the lexicon directory as the page names it, such as {@code lexicons}
   * @param isPublic whether a method, given its NSID, may be called without a service auth token
   * @param authSource where that decision is made, named on the page
   * @param regenerateCommand the command that rewrites the page, named in its header, if any
   */
  public LexiconDocs(
      String sourceDir,
      Predicate<String> isPublic,
      String authSource,
      Optional<String> regenerateCommand) {
    this.sourceDir = Objects.requireNonNull(sourceDir, "sourceDir");
    this.isPublic = Objects.requireNonNull(isPublic, "isPublic");
    this.authSource = Objects.requireNonNull(authSource, "authSource");
    this.regenerateCommand = Objects.requireNonNull(regenerateCommand, "regenerateCommand");
  }

  /**
   * Renders the page.
   *
   * @param lexicons the parsed lexicons
   * @return the Markdown text
   */
  public String render(Lexicons lexicons) {
    StringBuilder out = new StringBuilder();
    out.append("<!-- Generated from ")
        .append(sourceDir)
        .append("/ by atp-keyserver lexicon-codegen. Do not edit: change the lexicons");
    regenerateCommand.ifPresent(command -> out.append(", then run ").append(command));
    out.append(". -->\n\n");
    out.append("# Lexicon method reference\n\n");
    out.append("Every XRPC method, as the lexicons in `")
        .append(sourceDir)
        .append("/` define it. The build generates this page from them and fails when the")
        .append(" committed copy differs. String lengths count UTF-8 bytes, as in Lexicon.\n\n");
    out.append("**Auth:** *service auth* means the call needs an ATProto service auth token for")
        .append(
            " the method (`Authorization: Bearer <token>`, with `lxm` set to the method's NSID);")
        .append(" *none* means anyone may call it. The generator reads this from `")
        .append(authSource)
        .append("`.\n\n");

    List<LexiconDocument> methods = lexicons.methods();
    out.append("| method | HTTP | auth | description |\n|---|---|---|---|\n");
    for (LexiconDocument document : methods) {
      LexMethod method = document.method().orElseThrow();
      out.append("| [`")
          .append(document.id())
          .append("`](#")
          .append(document.id())
          .append(") | ")
          .append(httpMethod(method))
          .append(" | ")
          .append(auth(document.id()))
          .append(" | ")
          .append(cell(firstSentence(method.description())))
          .append(" |\n");
    }

    for (LexiconDocument document : methods) {
      renderMethod(out, document.id(), document.method().orElseThrow());
    }

    List<Map.Entry<DefId, LexObject>> objects = objectDefs(lexicons);
    if (!objects.isEmpty()) {
      out.append("\n## Definitions\n\nThe objects that fields above refer to.\n\n");
      for (Map.Entry<DefId, LexObject> def : objects) {
        out.append("<a id=\"").append(anchor(def.getKey())).append("\"></a>\n\n");
        out.append("### ").append(def.getKey()).append("\n\n");
        def.getValue().description().ifPresent(d -> out.append(text(d)).append("\n\n"));
        fields(out, def.getValue().properties(), "field");
      }
    }
    // Every block ends with a blank line; the file ends with exactly one line break.
    return out.toString().stripTrailing() + "\n";
  }

  private void renderMethod(StringBuilder out, String nsid, LexMethod method) {
    out.append("\n<a id=\"").append(nsid).append("\"></a>\n\n");
    out.append("## ").append(nsid).append("\n\n");
    out.append("`")
        .append(httpMethod(method))
        .append(" /xrpc/")
        .append(nsid)
        .append("` · ")
        .append(method instanceof LexQuery ? "query" : "procedure")
        .append(" · auth: ")
        .append(auth(nsid))
        .append("\n\n");
    method.description().ifPresent(d -> out.append(text(d)).append("\n\n"));

    out.append("### Parameters\n\n");
    Optional<LexParams> parameters = method.parameters();
    if (parameters.isEmpty()) {
      out.append("None.\n\n");
    } else {
      parameters.get().description().ifPresent(d -> out.append(text(d)).append("\n\n"));
      fields(out, parameters.get().properties(), "parameter");
    }

    if (method instanceof LexProcedure) {
      out.append("### Input\n\n");
      Optional<LexBody> input = method.input();
      if (input.isEmpty()) {
        out.append("None.\n\n");
      } else {
        body(out, input.get());
      }
    }

    out.append("### Output\n\n");
    body(out, method.output());

    out.append("### Errors\n\n");
    if (method.errors().isEmpty()) {
      out.append("None declared.\n");
    } else {
      out.append("| error | description |\n|---|---|\n");
      for (LexError error : method.errors()) {
        out.append("| `")
            .append(error.name())
            .append("` | ")
            .append(cell(error.description().orElse("")))
            .append(" |\n");
      }
    }
  }

  private static void body(StringBuilder out, LexBody body) {
    out.append("`").append(LexBody.JSON).append("`");
    body.description().ifPresent(d -> out.append(": ").append(text(d)));
    out.append("\n\n");
    fields(out, body.schema().properties(), "field");
  }

  private static void fields(StringBuilder out, List<LexProperty> properties, String noun) {
    if (properties.isEmpty()) {
      out.append("No ").append(noun).append("s.\n\n");
      return;
    }
    out.append("| ")
        .append(noun)
        .append(" | type | required | constraints | description |\n|---|---|---|---|---|\n");
    for (LexProperty property : properties) {
      String required = property.required() ? "yes" : "no";
      if (property.nullable()) {
        required += ", may be null";
      }
      out.append("| `")
          .append(cellCode(property.name()))
          .append("` | ")
          .append(type(property.type()))
          .append(" | ")
          .append(required)
          .append(" | ")
          .append(String.join(", ", constraints(property.type())))
          .append(" | ")
          .append(cell(property.type().description().orElse("")))
          .append(" |\n");
    }
    out.append('\n');
  }

  private static String type(LexType type) {
    return switch (type) {
      case LexString s -> s.format().map(f -> "string (" + f.lexiconName() + ")").orElse("string");
      case LexInteger i -> "integer";
      case LexBoolean b -> "boolean";
      case LexArray a -> "array of " + type(a.items());
      case LexRef r -> "[`" + r.target() + "`](#" + anchor(r.target()) + ")";
    };
  }

  private static List<String> constraints(LexType type) {
    List<String> out = new ArrayList<>();
    switch (type) {
      case LexString s -> {
        s.minLength().ifPresent(n -> out.add("minLength " + n));
        s.maxLength().ifPresent(n -> out.add("maxLength " + n));
        if (!s.enumValues().isEmpty()) {
          out.add("one of " + codes(s.enumValues()));
        }
        if (!s.knownValues().isEmpty()) {
          out.add("known values " + codes(s.knownValues()));
        }
        s.constValue().ifPresent(v -> out.add("always " + code(v)));
        s.defaultValue().ifPresent(v -> out.add("default " + code(v)));
      }
      case LexInteger i -> {
        i.minimum().ifPresent(n -> out.add("minimum " + n));
        i.maximum().ifPresent(n -> out.add("maximum " + n));
        if (!i.enumValues().isEmpty()) {
          out.add(
              "one of "
                  + i.enumValues().stream().map(String::valueOf).collect(Collectors.joining(", ")));
        }
        i.constValue().ifPresent(n -> out.add("always " + n));
        i.defaultValue().ifPresent(n -> out.add("default " + n));
      }
      case LexBoolean b -> {
        b.constValue().ifPresent(v -> out.add("always " + code(String.valueOf(v))));
        b.defaultValue().ifPresent(v -> out.add("default " + code(String.valueOf(v))));
      }
      case LexArray a -> {
        a.minLength().ifPresent(n -> out.add("at least " + n + (n == 1 ? " item" : " items")));
        a.maxLength().ifPresent(n -> out.add("at most " + n + (n == 1 ? " item" : " items")));
        List<String> items = constraints(a.items());
        if (!items.isEmpty()) {
          out.add("each item: " + String.join(", ", items));
        }
      }
      case LexRef r -> {
        // The referenced definition lists its own constraints.
      }
    }
    return out;
  }

  private String auth(String nsid) {
    return isPublic.test(nsid) ? "none" : "service auth";
  }

  private static String httpMethod(LexMethod method) {
    return method instanceof LexQuery ? "GET" : "POST";
  }

  /** Named object definitions in document order, the targets of {@link LexRef}s. */
  private static List<Map.Entry<DefId, LexObject>> objectDefs(Lexicons lexicons) {
    List<Map.Entry<DefId, LexObject>> objects = new ArrayList<>();
    for (LexiconDocument document : lexicons.documents()) {
      for (Map.Entry<String, LexDef> def : document.defs().entrySet()) {
        if (def.getValue() instanceof LexObject object) {
          objects.add(Map.entry(new DefId(document.id(), def.getKey()), object));
        }
      }
    }
    return objects;
  }

  private static String anchor(DefId id) {
    return "def-" + id.nsid() + "-" + id.name();
  }

  private static String firstSentence(Optional<String> description) {
    String text = description.orElse("").strip();
    Matcher sentence = FIRST_SENTENCE.matcher(text);
    return sentence.find() ? sentence.group(1) : text;
  }

  private static String codes(List<String> values) {
    return values.stream().map(LexiconDocs::code).collect(Collectors.joining(", "));
  }

  /** A value in a code span inside a table cell. */
  private static String code(String value) {
    String shown = cellCode(value);
    return shown.contains("`") ? "`` " + shown + " ``" : "`" + shown + "`";
  }

  /**
   * Text for a code span in a table: control characters written as escapes, and {@code |} escaped,
   * which GitHub Markdown requires even inside code spans of a table.
   */
  private static String cellCode(String value) {
    return value.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t").replace("|", "\\|");
  }

  /** Text for a table cell: one line, no {@code |}, no HTML. */
  private static String cell(String value) {
    return text(value).replace("|", "\\|");
  }

  /** Prose from a lexicon: one line, and markup characters shown as themselves. */
  private static String text(String value) {
    return value
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replaceAll("\\s*[\\r\\n]+\\s*", " ")
        .strip();
  }
}
