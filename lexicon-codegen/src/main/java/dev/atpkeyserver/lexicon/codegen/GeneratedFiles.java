package dev.atpkeyserver.lexicon.codegen;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Writes generated files into the output directory and removes files a previous run generated that
 * this run does not, so a deleted or renamed lexicon leaves nothing behind to compile.
 *
 * <p>Only files that start with the generator's header line are ever deleted, so pointing the
 * output at the wrong directory cannot destroy hand-written code. Files whose content did not
 * change are not rewritten, which keeps their timestamps and lets incremental builds skip them.
 */
public final class GeneratedFiles {

  /** What every generated file's first line starts with, and ends with. */
  static final String HEADER_START = "// Generated from ";

  static final String HEADER_END = " by atp-keyserver lexicon-codegen. Do not edit.";

  private GeneratedFiles() {}

  /**
   * Brings a directory in line with a set of generated files.
   *
   * @param outputDir the output directory, created if missing
   * @param files relative paths (with {@code /}) and contents
   * @return how many files were written, deleted and left unchanged
   */
  public static Result write(Path outputDir, Map<String, String> files) {
    try {
      Files.createDirectories(outputDir);
      int deleted = deleteStale(outputDir, files);
      int written = 0;
      int unchanged = 0;
      for (Map.Entry<String, String> file : files.entrySet()) {
        Path path = outputDir.resolve(file.getKey());
        byte[] content = file.getValue().getBytes(StandardCharsets.UTF_8);
        if (Files.isRegularFile(path)
            && java.util.Arrays.equals(Files.readAllBytes(path), content)) {
          unchanged++;
          continue;
        }
        Files.createDirectories(path.getParent());
        Files.write(path, content);
        written++;
      }
      return new Result(written, deleted, unchanged);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write generated sources to " + outputDir, e);
    }
  }

  /**
   * What {@link #write} did.
   *
   * @param written files created or changed
   * @param deleted stale generated files removed
   * @param unchanged files already up to date
   */
  public record Result(int written, int deleted, int unchanged) {}

  private static int deleteStale(Path outputDir, Map<String, String> files) throws IOException {
    List<Path> stale = new ArrayList<>();
    List<Path> directories = new ArrayList<>();
    try (Stream<Path> paths = Files.walk(outputDir)) {
      for (Path path : paths.toList()) {
        if (Files.isDirectory(path)) {
          directories.add(path);
          continue;
        }
        String relative = outputDir.relativize(path).toString().replace('\\', '/');
        if (!files.containsKey(relative) && isGenerated(path)) {
          stale.add(path);
        }
      }
    }
    for (Path path : stale) {
      Files.delete(path);
    }
    // Deepest first, so a directory emptied by removing its sub-directories goes too.
    directories.sort(Comparator.comparingInt(Path::getNameCount).reversed());
    for (Path directory : directories) {
      if (!directory.equals(outputDir) && isEmpty(directory)) {
        Files.delete(directory);
      }
    }
    return stale.size();
  }

  private static boolean isGenerated(Path path) throws IOException {
    if (!path.toString().endsWith(".java")) {
      return false;
    }
    try (BufferedReader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      String first = reader.readLine();
      return first != null && first.startsWith(HEADER_START) && first.endsWith(HEADER_END);
    } catch (java.nio.charset.MalformedInputException e) {
      return false; // not text we wrote
    }
  }

  private static boolean isEmpty(Path directory) throws IOException {
    try (Stream<Path> entries = Files.list(directory)) {
      return entries.findAny().isEmpty();
    }
  }
}
