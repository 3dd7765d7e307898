package dev.atpkeyserver.did;

/**
 * Resolves a DID to its DID document.
 *
 * <p>Implementations: {@link PlcDidResolver} and {@link WebDidResolver} fetch over HTTP, {@link
 * MethodDispatchingResolver} picks one by method, {@link CachingDidResolver} adds a cache in front.
 * All are safe for concurrent use.
 */
public interface DidResolver {

  /**
   * Resolves a DID.
   *
   * @param did the DID
   * @param forceRefresh true to bypass a cache (after a signature failed to verify, the key may
   *     have rotated); resolvers without a cache always fetch
   * @return the validated document, whose {@code id} is the DID
   * @throws DidResolutionException one subclass per failure; see the package documentation
   */
  DidDocument resolve(Did did, boolean forceRefresh) throws DidResolutionException;

  /**
   * Resolves a DID, using a cache if there is one.
   *
   * @param did the DID
   * @return the validated document
   * @throws DidResolutionException one subclass per failure
   */
  default DidDocument resolve(Did did) throws DidResolutionException {
    return resolve(did, false);
  }
}
