package dev.atpkeyserver.lexicon.codegen.emit;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * How lexicon names become Java names. Wire names stay exactly as in the lexicon on the wire; only
 * the Java side is renamed.
 *
 * <ul>
 *   <li>Properties: camelCase of the wire name, split at anything that is not a letter or digit
 *       ({@code group_id} becomes {@code groupId}); a Java keyword or a name records may not use
 *       ({@code hashCode}, ...) gets a trailing underscore.
 *   <li>Classes: UpperCamel of the NSID's name segment ({@code getPublicKey} becomes {@code
 *       GetPublicKey}); nested records: UpperCamel of the definition name.
 *   <li>Packages: the base package, then the NSID's segments after the reversed domain (its first
 *       two segments), without the name.
 *   <li>Handlers: camelCase of the NSID's segments after the first three (domain and namespace,
 *       {@code dev.atpkeyserver.alpha}): {@code keypair.getPublicKey} becomes {@code
 *       keypairGetPublicKey}.
 * </ul>
 */
public final class JavaNames {

  /** The package generated code goes to unless told otherwise. */
  public static final String DEFAULT_BASE_PACKAGE = "dev.atpkeyserver.lexicon";

  /** Names of the nested types every method class has. */
  public static final Set<String> METHOD_MEMBER_TYPES =
      Set.of("Params", "Input", "Output", "Handler");

  /** Names of the classes generated in the base package. */
  public static final Set<String> BASE_PACKAGE_TYPES = Set.of("XrpcRoutes", "XrpcHandlers");

  /** The sub-package of the base package that holds the generated client. */
  public static final String CLIENT_SUBPACKAGE = "client";

  /** The name of the generated client class. */
  public static final String CLIENT_CLASS = "KeyserverClient";

  /**
   * Wire names of properties that hold key material. The Lexicon language cannot mark a field
   * secret, so the generator goes by name: a record with such a property gets a {@code toString()}
   * that prints {@code <redacted>} for it, so the default record {@code toString()} cannot leak a
   * key into a log.
   */
  public static final java.util.regex.Pattern SECRET_NAME =
      java.util.regex.Pattern.compile("(?i).*(private|secret)_?key");

  private static final Set<String> KEYWORDS =
      Set.of(
          "abstract",
          "assert",
          "boolean",
          "break",
          "byte",
          "case",
          "catch",
          "char",
          "class",
          "const",
          "continue",
          "default",
          "do",
          "double",
          "else",
          "enum",
          "extends",
          "final",
          "finally",
          "float",
          "for",
          "goto",
          "if",
          "implements",
          "import",
          "instanceof",
          "int",
          "interface",
          "long",
          "native",
          "new",
          "package",
          "private",
          "protected",
          "public",
          "return",
          "short",
          "static",
          "strictfp",
          "super",
          "switch",
          "synchronized",
          "this",
          "throw",
          "throws",
          "transient",
          "try",
          "void",
          "volatile",
          "while",
          "true",
          "false",
          "null",
          "_");

  // A record component may not be named after one of Object's methods (JLS 8.10.1).
  private static final Set<String> OBJECT_METHODS =
      Set.of(
          "clone", "finalize", "getClass", "hashCode", "notify", "notifyAll", "toString", "wait");

  private JavaNames() {}

  /**
   * The Java name of a property.
   *
   * @param wireName the name in the lexicon
   * @return the name, or empty if it has no letters or starts with a digit
   */
  public static Optional<String> memberName(String wireName) {
    List<String> parts = words(wireName);
    if (parts.isEmpty() || Character.isDigit(parts.get(0).charAt(0))) {
      return Optional.empty();
    }
    StringBuilder name = new StringBuilder(lowerFirst(parts.get(0)));
    for (String part : parts.subList(1, parts.size())) {
      name.append(upperFirst(part));
    }
    return Optional.of(escape(name.toString()));
  }

  /**
   * The name of a type for a definition or an NSID name segment.
   *
   * @param name the lexicon name
   * @return the name, or empty if it has no letters or starts with a digit
   */
  public static Optional<String> typeName(String name) {
    return memberName(name)
        .map(m -> upperFirst(m.endsWith("_") ? m.substring(0, m.length() - 1) : m));
  }

  /**
   * The name of a constant holding a property's rule: UPPER_SNAKE of the member name.
   *
   * @param memberName the property's Java name
   * @return the constant name
   */
  public static String constantName(String memberName) {
    StringBuilder name = new StringBuilder();
    for (int i = 0; i < memberName.length(); i++) {
      char c = memberName.charAt(i);
      if (Character.isUpperCase(c) && i > 0 && !Character.isUpperCase(memberName.charAt(i - 1))) {
        name.append('_');
      }
      if (c != '_' || (name.length() > 0 && name.charAt(name.length() - 1) != '_')) {
        name.append(Character.toUpperCase(c));
      }
    }
    return name.toString();
  }

  /**
   * The package of the class generated for an NSID.
   *
   * @param basePackage the base package
   * @param nsid the document's NSID
   * @return the package name
   */
  public static String packageName(String basePackage, String nsid) {
    String[] segments = nsid.split("\\.", -1);
    StringBuilder name = new StringBuilder(basePackage);
    for (int i = 2; i < segments.length - 1; i++) {
      name.append('.').append(packageSegment(segments[i]));
    }
    return name.toString();
  }

  /**
   * The simple name of the class generated for an NSID.
   *
   * @param nsid the document's NSID
   * @return the class name, or empty if the name segment cannot be one
   */
  public static Optional<String> className(String nsid) {
    return typeName(nsid.substring(nsid.lastIndexOf('.') + 1));
  }

  /**
   * The name of a method's handler in {@code XrpcHandlers}.
   *
   * @param nsid the method's NSID
   * @return the handler name
   */
  public static Optional<String> handlerName(String nsid) {
    String[] segments = nsid.split("\\.");
    int first = Math.min(3, segments.length - 1);
    return memberName(String.join("_", Arrays.asList(segments).subList(first, segments.length)));
  }

  /**
   * Uppercases the first character.
   *
   * @param s a non-empty string
   * @return the string with an uppercase first character
   */
  public static String upperFirst(String s) {
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  private static String lowerFirst(String s) {
    return Character.toLowerCase(s.charAt(0)) + s.substring(1);
  }

  // An NSID domain segment may start with a digit or contain a hyphen; Java packages may not.
  private static String packageSegment(String segment) {
    String name = segment.replace('-', '_');
    if (Character.isDigit(name.charAt(0))) {
      name = "_" + name;
    }
    return KEYWORDS.contains(name.toLowerCase(Locale.ROOT)) ? name + "_" : name;
  }

  private static String escape(String name) {
    return KEYWORDS.contains(name) || OBJECT_METHODS.contains(name) ? name + "_" : name;
  }

  private static List<String> words(String s) {
    return Arrays.stream(s.split("[^A-Za-z0-9]+")).filter(w -> !w.isEmpty()).toList();
  }
}
