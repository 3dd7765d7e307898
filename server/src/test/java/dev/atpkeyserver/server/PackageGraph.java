package dev.atpkeyserver.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Which package of a source tree uses which, read from the Java sources: every name qualified with
 * a package under the root (imports, static and on-demand imports, fully qualified names in code),
 * with comments and string literals left out. Sources rather than class files, because javac
 * inlines constants: a use of another package's {@code static final String} leaves no trace in the
 * class file, though it ties the two packages together just the same.
 *
 * <p>It relies on the Java naming convention this codebase follows: package segments are lower case
 * and type names start with an upper-case letter.
 */
final class PackageGraph {

  /**
   * Package to the packages it uses, each with the first file seen using it (relative to the root
   * package's directory), to name the culprit in a failure.
   */
  private final Map<String, Map<String, Path>> edges = new TreeMap<>();

  private final String rootPackage;
  private final Pattern reference;

  private PackageGraph(String rootPackage) {
    this.rootPackage = rootPackage;
    // The package part of a qualified name: lower-case segments up to a type name or an '*'.
    this.reference =
        Pattern.compile(
            "(?<![\\w.$])"
                + Pattern.quote(rootPackage)
                + "((?:\\s*\\.\\s*[a-z_][a-z0-9_]*)*)\\s*\\.\\s*(?:[A-Z$]|\\*)");
  }

  /**
   * Reads every {@code .java} file under {@code sourceRoot} whose package lies under {@code
   * rootPackage}.
   */
  static PackageGraph read(Path sourceRoot, String rootPackage) {
    PackageGraph graph = new PackageGraph(rootPackage);
    Path rootDir = sourceRoot.resolve(rootPackage.replace('.', '/'));
    try (Stream<Path> files = Files.walk(rootDir)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
        graph.add(rootDir.relativize(file), Files.readString(file, StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return graph;
  }

  /** Every package that has a source file, in order. */
  Set<String> packages() {
    return edges.keySet();
  }

  /** The packages {@code from} uses, other than itself. */
  Set<String> uses(String from) {
    return edges.getOrDefault(from, Map.of()).keySet();
  }

  /**
   * Every cycle, one line per group of packages that reach each other: one shortest cycle through
   * the group's first package, each edge followed by a file that makes it, then the whole group if
   * it is larger than that cycle. Empty when the packages depend on each other one way only.
   */
  List<String> cycles() {
    List<String> found = new ArrayList<>();
    for (Set<String> component : new Tarjan().components()) {
      if (component.size() < 2) {
        continue;
      }
      List<String> cycle = shortestCycle(component.iterator().next(), component);
      StringBuilder line = new StringBuilder();
      StringBuilder culprits = new StringBuilder();
      for (int i = 0; i < cycle.size(); i++) {
        line.append(i == 0 ? "" : " → ").append(display(cycle.get(i)));
        if (i > 0) {
          String from = cycle.get(i - 1);
          String to = cycle.get(i);
          culprits
              .append(i == 1 ? "" : "; ")
              .append(edges.get(from).get(to))
              .append(" uses ")
              .append(display(to));
        }
      }
      line.append(" (").append(culprits).append(')');
      if (component.size() > cycle.size() - 1) {
        line.append("; tangled with it: ").append(component.stream().map(this::display).toList());
      }
      found.add(line.toString());
    }
    return found;
  }

  private void add(Path file, String source) {
    String code = withoutCommentsAndLiterals(source);
    Matcher declaration =
        Pattern.compile("^\\s*package\\s+([\\w.\\s]+?)\\s*;", Pattern.MULTILINE).matcher(code);
    if (!declaration.find()) {
      throw new IllegalArgumentException(file + " has no package declaration");
    }
    String from = declaration.group(1).replaceAll("\\s", "");
    Map<String, Path> targets = edges.computeIfAbsent(from, p -> new TreeMap<>());
    Matcher uses = reference.matcher(code);
    while (uses.find()) {
      String to = rootPackage + uses.group(1).replaceAll("\\s", "");
      if (!to.equals(from)) {
        targets.putIfAbsent(to, file);
      }
    }
  }

  /** {@code dev.atpkeyserver.server.http} as {@code server.http}: short, still unambiguous. */
  private String display(String packageName) {
    int lastDot = rootPackage.lastIndexOf('.');
    return packageName.substring(lastDot + 1);
  }

  /**
   * The shortest path from {@code start} back to itself inside {@code component} (breadth first).
   */
  private List<String> shortestCycle(String start, Set<String> component) {
    Map<String, String> cameFrom = new HashMap<>();
    Deque<String> queue = new ArrayDeque<>(List.of(start));
    while (!queue.isEmpty()) {
      String current = queue.poll();
      for (String next : uses(current)) {
        if (!component.contains(next)) {
          continue;
        }
        if (next.equals(start)) {
          Deque<String> path = new ArrayDeque<>(List.of(start));
          for (String at = current; !at.equals(start); at = cameFrom.get(at)) {
            path.addFirst(at);
          }
          path.addFirst(start);
          return List.copyOf(path);
        }
        if (cameFrom.putIfAbsent(next, current) == null) {
          queue.add(next);
        }
      }
    }
    throw new IllegalStateException("no cycle through " + start + " in " + component);
  }

  /**
   * The source with comments, string and character literals and text blocks blanked out, so a
   * qualified name mentioned in prose or in a message is not taken for a use.
   */
  static String withoutCommentsAndLiterals(String source) {
    StringBuilder out = new StringBuilder(source.length());
    int n = source.length();
    int i = 0;
    while (i < n) {
      if (source.startsWith("//", i)) {
        int end = source.indexOf('\n', i);
        i = end < 0 ? n : end;
      } else if (source.startsWith("/*", i)) {
        int end = source.indexOf("*/", i + 2);
        i = end < 0 ? n : end + 2;
        out.append(' ');
      } else if (source.startsWith("\"\"\"", i)) {
        i = skipQuoted(source, i + 3, "\"\"\"");
        out.append("\"\"");
      } else if (source.charAt(i) == '"' || source.charAt(i) == '\'') {
        String quote = String.valueOf(source.charAt(i));
        i = skipQuoted(source, i + 1, quote);
        out.append(quote).append(quote);
      } else {
        out.append(source.charAt(i));
        i++;
      }
    }
    return out.toString();
  }

  /** The index just past the closing {@code quote}, skipping backslash escapes. */
  private static int skipQuoted(String source, int from, String quote) {
    int i = from;
    while (i < source.length()) {
      if (source.charAt(i) == '\\') {
        i += 2;
      } else if (source.startsWith(quote, i)) {
        return i + quote.length();
      } else {
        i++;
      }
    }
    return i;
  }

  /** Tarjan's strongly connected components: the groups of packages that all reach each other. */
  private final class Tarjan {
    private final Map<String, Integer> index = new HashMap<>();
    private final Map<String, Integer> lowLink = new HashMap<>();
    private final Deque<String> stack = new ArrayDeque<>();
    private final Set<String> onStack = new TreeSet<>();
    private final List<Set<String>> components = new ArrayList<>();

    List<Set<String>> components() {
      for (String node : packages()) {
        if (!index.containsKey(node)) {
          visit(node);
        }
      }
      return components;
    }

    private void visit(String node) {
      index.put(node, index.size());
      lowLink.put(node, index.get(node));
      stack.push(node);
      onStack.add(node);
      for (String next : uses(node)) {
        if (!index.containsKey(next)) {
          visit(next);
          lowLink.put(node, Math.min(lowLink.get(node), lowLink.get(next)));
        } else if (onStack.contains(next)) {
          lowLink.put(node, Math.min(lowLink.get(node), index.get(next)));
        }
      }
      if (lowLink.get(node).equals(index.get(node))) {
        Set<String> component = new TreeSet<>();
        String member;
        do {
          member = stack.pop();
          onStack.remove(member);
          component.add(member);
        } while (!member.equals(node));
        components.add(component);
      }
    }
  }
}
