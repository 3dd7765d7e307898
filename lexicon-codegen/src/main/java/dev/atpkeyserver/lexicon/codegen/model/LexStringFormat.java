package dev.atpkeyserver.lexicon.codegen.model;

import java.util.Arrays;
import java.util.Optional;

/**
 * The string formats the generator supports, each matching a {@code
 * dev.atpkeyserver.xrpc.StringFormat} constant of the same name.
 */
public enum LexStringFormat {
  /** {@code did}. */
  DID("did"),
  /** {@code datetime}; such strings map to {@link java.time.Instant}. */
  DATETIME("datetime"),
  /** {@code nsid}. */
  NSID("nsid"),
  /** {@code handle}. */
  HANDLE("handle"),
  /** {@code at-identifier}. */
  AT_IDENTIFIER("at-identifier");

  private final String lexiconName;

  LexStringFormat(String lexiconName) {
    this.lexiconName = lexiconName;
  }

  /** The name used in lexicon files. */
  public String lexiconName() {
    return lexiconName;
  }

  /**
   * The format with a lexicon name.
   *
   * @param name the name in the lexicon file
   * @return the format, or empty if unsupported
   */
  public static Optional<LexStringFormat> forName(String name) {
    return Arrays.stream(values()).filter(f -> f.lexiconName.equals(name)).findFirst();
  }
}
