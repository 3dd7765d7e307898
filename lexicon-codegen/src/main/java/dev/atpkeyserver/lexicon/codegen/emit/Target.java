package dev.atpkeyserver.lexicon.codegen.emit;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * What to generate. The records are generated once, into the module that both sides depend on (the
 * {@code client} module); the server generates only its routing on top of them.
 */
public enum Target {
  /**
   * A class per method ({@code NSID}, {@code Params}, {@code Input}, {@code Output}, {@code
   * Handler}) and per definitions document, with a {@code package-info.java} per package.
   */
  RECORDS,
  /** {@code XrpcHandlers} and {@code XrpcRoutes} in the base package, for the server. */
  SERVER,
  /** {@code KeyserverClient}, one method per XRPC method, in the base package's {@code client}. */
  CLIENT;

  /** What the generator writes when not told otherwise: records and server routing together. */
  public static final Set<Target> DEFAULT = EnumSet.of(RECORDS, SERVER);

  /**
   * Parses a comma-separated list such as {@code records,client}.
   *
   * @param list target names, in any case
   * @return the targets
   * @throws IllegalArgumentException for an unknown or empty list
   */
  public static Set<Target> parse(String list) {
    Set<Target> targets = EnumSet.noneOf(Target.class);
    for (String name : list.split(",", -1)) {
      try {
        targets.add(Target.valueOf(name.trim().toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "Unknown target '" + name.trim() + "'; expected records, server or client", e);
      }
    }
    return targets;
  }
}
