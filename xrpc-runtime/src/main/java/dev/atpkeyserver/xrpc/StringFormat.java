package dev.atpkeyserver.xrpc;

import java.util.function.Predicate;

/** The Lexicon string formats the runtime can check, with the label used in error messages. */
public enum StringFormat {
  /** {@code did}: a decentralized identifier. */
  DID("did", "DID", LexiconFormats::isValidDid),
  /** {@code datetime}: an RFC 3339 timestamp with a time zone. */
  DATETIME("datetime", "datetime", LexiconFormats::isValidDatetime),
  /** {@code nsid}: a namespaced identifier. */
  NSID("nsid", "NSID", LexiconFormats::isValidNsid),
  /** {@code handle}: a DNS-name handle. */
  HANDLE("handle", "handle", LexiconFormats::isValidHandle),
  /** {@code at-identifier}: a handle or a DID. */
  AT_IDENTIFIER("at-identifier", "AT identifier", LexiconFormats::isValidAtIdentifier);

  private final String lexiconName;
  private final String label;

  // Always a reference to a static, stateless LexiconFormats method; Error Prone only trusts
  // types annotated @Immutable, which Predicate is not.
  @SuppressWarnings("ImmutableEnumChecker")
  private final Predicate<String> check;

  StringFormat(String lexiconName, String label, Predicate<String> check) {
    this.lexiconName = lexiconName;
    this.label = label;
    this.check = check;
  }

  /** The format's name in lexicon files, for example {@code at-identifier}. */
  public String lexiconName() {
    return lexiconName;
  }

  /** How error messages name the format, as in "Invalid DID format in 'did'". */
  public String label() {
    return label;
  }

  /**
   * Whether a value has this format.
   *
   * @param value the candidate
   * @return true if valid
   */
  public boolean isValid(String value) {
    return check.test(value);
  }
}
