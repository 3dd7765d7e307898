package dev.atpkeyserver.server.testing;

import java.util.Map;

/** Test servers wired to a WireMock PLC directory, as the API tests need them. */
public final class ApiServers {

  private ApiServers() {}

  /** An extension whose servers resolve DIDs through {@code directory}, closed after the class. */
  public static KeyserverExtension resolvingThrough(DidDirectory directory) {
    return new KeyserverExtension(
        Map.of(
            "keyserver.plc-url", directory.url(), "keyserver.service-did", ApiClient.SERVICE_DID));
  }
}
