package dev.atpkeyserver.lexicon.codegen.emit;

import java.util.ArrayList;
import java.util.List;

/** Writes indented Java source lines, with helpers for Javadoc. */
final class SourceWriter {

  private static final int WIDTH = 100;

  private final StringBuilder sb = new StringBuilder();
  private int indent;

  /** Writes one line at the current indentation (an empty string writes an empty line). */
  SourceWriter line(String text) {
    if (!text.isEmpty()) {
      sb.append("  ".repeat(indent)).append(text);
    }
    sb.append('\n');
    return this;
  }

  /** Writes a line and indents what follows, for a line ending in <code>&#123;</code>. */
  SourceWriter open(String text) {
    line(text);
    indent++;
    return this;
  }

  /** Outdents and writes a closing line such as <code>&#125;</code>. */
  SourceWriter close(String text) {
    indent--;
    return line(text);
  }

  /** Outdents, writes a line such as {@code } else {} and indents again. */
  SourceWriter reopen(String text) {
    indent--;
    line(text);
    indent++;
    return this;
  }

  /** Writes a continuation line, indented two levels deeper than the current code. */
  SourceWriter continuation(String text) {
    indent += 2;
    line(text);
    indent -= 2;
    return this;
  }

  /** Indents what follows, after a line that opened a block by other means. */
  SourceWriter indent() {
    indent++;
    return this;
  }

  /** Writes a {@code //} comment line. */
  SourceWriter comment(String text) {
    return line("// " + text);
  }

  /** Writes an empty line. */
  SourceWriter blank() {
    return line("");
  }

  /**
   * Writes a Javadoc comment; paragraphs are already-escaped Javadoc text, wrapped to the page
   * width. Tag lines (starting with {@code @}) are kept as given and wrapped with an indent.
   */
  SourceWriter javadoc(List<String> paragraphs) {
    List<String> lines = new ArrayList<>();
    boolean tags = false;
    for (String paragraph : paragraphs) {
      if (paragraph.isEmpty()) {
        continue;
      }
      boolean isTag = paragraph.startsWith("@");
      if (!lines.isEmpty() && (!isTag || !tags)) {
        lines.add("");
      }
      String text = !isTag && !lines.isEmpty() ? "<p>" + paragraph : paragraph;
      lines.addAll(wrap(text, isTag ? "    " : ""));
      tags = isTag;
    }
    if (lines.size() == 1 && ("/** " + lines.get(0) + " */").length() + 2 * indent <= WIDTH) {
      return line("/** " + lines.get(0) + " */");
    }
    line("/**");
    for (String l : lines) {
      line(l.isEmpty() ? " *" : " * " + l);
    }
    return line(" */");
  }

  private List<String> wrap(String text, String continuation) {
    int width = Math.max(40, WIDTH - 2 * indent - 3);
    List<String> lines = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String word : text.split("\\s+", -1)) {
      if (word.isEmpty()) {
        continue;
      }
      if (current.length() > 0 && current.length() + 1 + word.length() > width) {
        lines.add(current.toString());
        current = new StringBuilder(continuation);
      } else if (current.length() > 0 && !current.toString().equals(continuation)) {
        current.append(' ');
      }
      current.append(word);
    }
    if (current.length() > 0) {
      lines.add(current.toString());
    }
    return lines;
  }

  @Override
  public String toString() {
    return sb.toString();
  }
}
