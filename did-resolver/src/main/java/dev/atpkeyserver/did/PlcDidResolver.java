package dev.atpkeyserver.did;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Resolves did:plc from a PLC directory: {@code GET <plcUrl>/<percent-encoded DID>}, as the
 * official resolver does ({@code https://plc.directory/did%3Aplc%3A...}).
 *
 * <p>Status mapping: 2xx → the document (validated); 404, and 410 (the directory's answer for a
 * tombstoned DID) → {@link DidNotFoundException}; 3xx → {@link DidHostUnavailableException}, not
 * retryable (redirects are never followed); 408, 429 and 5xx → {@link DidHostUnavailableException},
 * retryable; any other status → {@link DidHostUnavailableException}, not retryable. No cache: wrap
 * it in {@link CachingDidResolver}.
 */
public final class PlcDidResolver implements DidResolver {

  private static final String HOST_LABEL = "PLC directory";

  private final URI plcUrl;
  private final Duration timeout;
  private final DocumentFetcher fetcher;

  /**
   * Creates a resolver with its own HTTP client.
   *
   * @param options the PLC URL, timeout and size limit
   */
  public PlcDidResolver(ResolverOptions options) {
    this(options, new DocumentFetcher(options));
  }

  PlcDidResolver(ResolverOptions options, DocumentFetcher fetcher) {
    this.plcUrl = options.plcUrl();
    this.timeout = options.timeout();
    this.fetcher = Objects.requireNonNull(fetcher, "fetcher");
  }

  @Override
  public DidDocument resolve(Did did, boolean forceRefresh) throws DidResolutionException {
    if (!did.isPlc()) {
      throw new UnsupportedDidMethodException(did);
    }
    DocumentFetcher.Response response = fetcher.get(documentUri(did), timeout, HOST_LABEL);
    int status = response.status();
    if (response.isSuccess()) {
      return DidDocument.parse(did, response.body());
    }
    if (status == 404 || status == 410) {
      throw new DidNotFoundException(did, status);
    }
    boolean retryable = status == 408 || status == 429 || status >= 500;
    throw new DidHostUnavailableException(
        HOST_LABEL + " answered HTTP " + status + " for " + did, retryable);
  }

  /** The document URL; like the official resolver, this replaces any path on the PLC URL. */
  URI documentUri(Did did) {
    return plcUrl.resolve("/" + encodeUriComponent(did.toString()));
  }

  /**
   * JavaScript's {@code encodeURIComponent} restricted to DID characters: {@code :} and {@code %}
   * are escaped, letters, digits and {@code - _ .} are not.
   */
  private static String encodeUriComponent(String text) {
    StringBuilder out = new StringBuilder(text.length() + 8);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == ':') {
        out.append("%3A");
      } else if (c == '%') {
        out.append("%25");
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
