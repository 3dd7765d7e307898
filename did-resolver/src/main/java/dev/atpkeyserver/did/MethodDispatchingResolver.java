package dev.atpkeyserver.did;

import java.util.Objects;

/**
 * Sends did:plc to one resolver and did:web to another, and refuses every other method with {@link
 * UnsupportedDidMethodException}, as the official resolver does.
 */
public final class MethodDispatchingResolver implements DidResolver {

  private final DidResolver plc;
  private final DidResolver web;

  /**
   * Creates a dispatcher over two resolvers.
   *
   * @param plc resolves did:plc
   * @param web resolves did:web
   */
  public MethodDispatchingResolver(DidResolver plc, DidResolver web) {
    this.plc = Objects.requireNonNull(plc, "plc");
    this.web = Objects.requireNonNull(web, "web");
  }

  /**
   * Creates the standard uncached resolver: {@link PlcDidResolver} and {@link WebDidResolver}
   * sharing one HTTP client.
   *
   * @param options the resolver options
   * @return the resolver; wrap it in {@link CachingDidResolver} for production use
   */
  public static MethodDispatchingResolver create(ResolverOptions options) {
    DocumentFetcher fetcher = new DocumentFetcher(options);
    return new MethodDispatchingResolver(
        new PlcDidResolver(options, fetcher),
        new WebDidResolver(options, fetcher, HostPolicy.create(options.allowLocalHosts())));
  }

  @Override
  public DidDocument resolve(Did did, boolean forceRefresh) throws DidResolutionException {
    Objects.requireNonNull(did, "did");
    if (did.isPlc()) {
      return plc.resolve(did, forceRefresh);
    }
    if (did.isWeb()) {
      return web.resolve(did, forceRefresh);
    }
    throw new UnsupportedDidMethodException(did);
  }
}
