package dev.atpkeyserver.lexicon.codegen.emit;

import java.util.List;
import java.util.stream.Collectors;

/** Java literals and Javadoc text from lexicon values, escaped so no input can break the source. */
final class Literals {

  private Literals() {}

  /**
   * A Java string literal. Non-ASCII and control characters become escapes, so the generated files
   * are plain ASCII; quotes, backslashes and line breaks get their short escapes, because a {@code
   * \\u} escape of those would be decoded before the literal is parsed.
   */
  static String string(String value) {
    StringBuilder sb = new StringBuilder("\"");
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20 || c > 0x7e) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"').toString();
  }

  /** Comma-separated string literals. */
  static String strings(List<String> values) {
    return values.stream().map(Literals::string).collect(Collectors.joining(", "));
  }

  /** A {@code long} literal. */
  static String longValue(long value) {
    return value + "L";
  }

  /**
   * Text for a Javadoc comment: HTML-escaped, with {@code @} escaped so it cannot start a tag,
   * {@code * /} broken up so it cannot end the comment, and backslashes escaped so javac cannot
   * read a {@code \\u} escape in them.
   */
  static String javadoc(String text) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> sb.append("&amp;");
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '@' -> sb.append("&#64;");
        case '\\' -> sb.append("&#92;");
        case '/' -> sb.append(i > 0 && text.charAt(i - 1) == '*' ? "&#47;" : "/");
        default -> {
          if (c < 0x20) {
            sb.append(' ');
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.toString();
  }

  /** <code>&#123;@code text&#125;</code>, for names and values in Javadoc. */
  static String code(String text) {
    String escaped = javadoc(text);
    // Braces must balance inside {@code}; use entities when they might not.
    if (escaped.contains("{") || escaped.contains("}")) {
      return "<code>" + escaped.replace("{", "&#123;").replace("}", "&#125;") + "</code>";
    }
    return "{@code " + escaped + "}";
  }
}
