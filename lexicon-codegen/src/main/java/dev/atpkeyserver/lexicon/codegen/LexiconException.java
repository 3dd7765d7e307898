package dev.atpkeyserver.lexicon.codegen;

/**
 * A lexicon the generator cannot use: invalid, or outside the supported subset. The message is
 * {@code <file>: <json path>: <reason>}, for example {@code
 * lexicons/dev/atpkeyserver/alpha/group/getKey.json: $.defs.main.parameters.properties.version:
 * unknown type 'float'}.
 */
public final class LexiconException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String file;
  private final String path;
  private final String reason;

  /**
   * A failure at one place in one file.
   *
   * @param file the lexicon file, as shown to the user
   * @param path the JSON path of the offending value, {@code $} for the whole document
   * @param reason what is wrong
   */
  public LexiconException(String file, String path, String reason) {
    this(file, path, reason, null);
  }

  /**
   * A failure with an underlying cause.
   *
   * @param file the lexicon file, as shown to the user
   * @param path the JSON path of the offending value
   * @param reason what is wrong
   * @param cause the underlying failure
   */
  public LexiconException(String file, String path, String reason, Throwable cause) {
    super(file + ": " + path + ": " + reason, cause);
    this.file = file;
    this.path = path;
    this.reason = reason;
  }

  /** The lexicon file. */
  public String file() {
    return file;
  }

  /** The JSON path of the offending value. */
  public String path() {
    return path;
  }

  /** What is wrong. */
  public String reason() {
    return reason;
  }
}
