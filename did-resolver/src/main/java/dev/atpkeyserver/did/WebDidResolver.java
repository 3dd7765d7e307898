package dev.atpkeyserver.did;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Resolves hostname-level did:web from {@code https://<host>/.well-known/did.json}, as the official
 * resolver does.
 *
 * <p>The identifier is one percent-decoded part: a host name, an IPv4 literal or a bracketed IPv6
 * literal, with an optional port written {@code %3A} ({@code did:web:localhost%3A2583}). More parts
 * (a path) → {@link UnsupportedDidWebPathException}. The host and port must pass the {@link
 * HostPolicy} SSRF check (public addresses, port 443 only) unless local hosts are allowed; only
 * then is {@code localhost} fetched over http (every other host over https).
 *
 * <p>Status mapping: 2xx → the document (validated); 3xx → {@link DidHostUnavailableException}, not
 * retryable (redirects are never followed); 408, 429 and 5xx → {@link DidHostUnavailableException},
 * retryable; any other status (404, 410, 403, ...) → {@link DidNotFoundException}. The official
 * resolver treats every non-2xx as not found; we report server errors as an unavailable host
 * instead, because a web server that is down has not said the DID does not exist.
 */
public final class WebDidResolver implements DidResolver {

  private static final String DOCUMENT_PATH = "/.well-known/did.json";
  private static final Pattern HOST_NAME =
      Pattern.compile(
          "(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*");
  private static final Pattern IPV6_LITERAL = Pattern.compile("\\[[0-9a-f:.]{2,45}]");
  private static final Pattern PORT = Pattern.compile("[0-9]{1,5}");

  private final Duration timeout;
  private final boolean allowLocalHosts;
  private final DocumentFetcher fetcher;
  private final HostPolicy hostPolicy;

  /**
   * Creates a resolver with its own HTTP client and the JDK name resolver.
   *
   * @param options the timeout, size limit and whether local hosts are allowed
   */
  public WebDidResolver(ResolverOptions options) {
    this(options, new DocumentFetcher(options), HostPolicy.create(options.allowLocalHosts()));
  }

  /**
   * Creates a resolver with its own HTTP client and the given SSRF policy.
   *
   * @param options the timeout, size limit and whether {@code localhost} is fetched over http
   * @param hostPolicy which hosts may be contacted
   */
  public WebDidResolver(ResolverOptions options, HostPolicy hostPolicy) {
    this(options, new DocumentFetcher(options), hostPolicy);
  }

  WebDidResolver(ResolverOptions options, DocumentFetcher fetcher, HostPolicy hostPolicy) {
    this.timeout = options.timeout();
    this.allowLocalHosts = options.allowLocalHosts();
    this.fetcher = Objects.requireNonNull(fetcher, "fetcher");
    this.hostPolicy = Objects.requireNonNull(hostPolicy, "hostPolicy");
  }

  @Override
  public DidDocument resolve(Did did, boolean forceRefresh) throws DidResolutionException {
    if (!did.isWeb()) {
      throw new UnsupportedDidMethodException(did);
    }
    HostAndPort target = hostAndPort(did);
    long start = System.nanoTime();
    // @NOTE the check must come before any connection: it is what stops SSRF.
    hostPolicy.check(target.host(), target.port(), timeout);
    Duration remaining = timeout.minusNanos(System.nanoTime() - start);
    String label = "did:web host " + target.host();
    DocumentFetcher.Response response =
        fetcher.get(documentUri(target, allowLocalHosts), remaining, label);
    int status = response.status();
    if (response.isSuccess()) {
      return DidDocument.parse(did, response.body());
    }
    if (status == 408 || status == 429 || status >= 500) {
      throw new DidHostUnavailableException(
          label + " answered HTTP " + status + " for " + did, true);
    }
    throw new DidNotFoundException(did, status);
  }

  /**
   * The URL the document of a did:web is fetched from.
   *
   * @param did a did:web
   * @param allowLocalHosts whether {@code localhost} is fetched over http
   * @return the URL
   * @throws UnsupportedDidWebPathException if the did:web has a path
   * @throws MalformedDidException if the identifier is not a host with an optional port
   */
  static URI documentUri(Did did, boolean allowLocalHosts)
      throws UnsupportedDidWebPathException, MalformedDidException {
    return documentUri(hostAndPort(did), allowLocalHosts);
  }

  private static URI documentUri(HostAndPort target, boolean allowLocalHosts)
      throws MalformedDidException {
    boolean plainHttp = allowLocalHosts && target.host().equals("localhost");
    try {
      return new URI(
          plainHttp ? "http" : "https",
          null,
          target.host(),
          target.port(),
          DOCUMENT_PATH,
          null,
          null);
    } catch (URISyntaxException e) {
      throw new MalformedDidException("did:web host is not a valid URL host");
    }
  }

  /** A lowercased host and a port, -1 for the scheme's default. */
  private record HostAndPort(String host, int port) {}

  private static HostAndPort hostAndPort(Did did)
      throws UnsupportedDidWebPathException, MalformedDidException {
    if (did.identifier().contains(":")) {
      throw new UnsupportedDidWebPathException(did);
    }
    String decoded = percentDecode(did.identifier()).toLowerCase(Locale.ROOT);
    String host = decoded;
    String port = null;
    if (decoded.startsWith("[")) {
      int close = decoded.indexOf(']');
      if (close > 0 && close + 1 < decoded.length()) {
        if (decoded.charAt(close + 1) != ':') {
          throw new MalformedDidException("did:web host is not a valid host name");
        }
        port = decoded.substring(close + 2);
        host = decoded.substring(0, close + 1);
      }
      if (!IPV6_LITERAL.matcher(host).matches()) {
        throw new MalformedDidException("did:web host is not a valid IPv6 literal");
      }
    } else {
      int colon = decoded.indexOf(':');
      if (colon >= 0) {
        port = decoded.substring(colon + 1);
        host = decoded.substring(0, colon);
      }
      if (!HOST_NAME.matcher(host).matches()) {
        throw new MalformedDidException("did:web host is not a valid host name");
      }
    }
    if (port == null) {
      return new HostAndPort(host, -1);
    }
    if (!PORT.matcher(port).matches()
        || Integer.parseInt(port) < 1
        || Integer.parseInt(port) > 65535) {
      throw new MalformedDidException("did:web port is not a valid port number");
    }
    return new HostAndPort(host, Integer.parseInt(port));
  }

  /** Decodes {@code %XX} escapes as UTF-8; {@link Did} guarantees each is well formed. */
  private static String percentDecode(String text) throws MalformedDidException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '%') {
        bytes.write(HexFormat.fromHexDigits(text, i + 1, i + 3));
        i += 2;
      } else {
        bytes.write(c);
      }
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      throw new MalformedDidException("did:web identifier is not valid percent-encoded UTF-8");
    }
  }
}
