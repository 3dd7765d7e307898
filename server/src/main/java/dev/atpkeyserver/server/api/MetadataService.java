package dev.atpkeyserver.server.api;

import dev.atpkeyserver.xrpc.ErrorBodies;
import dev.atpkeyserver.xrpc.JsonOut;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/** {@code GET /}: the service's name and version, as the contract shows them. */
public final class MetadataService implements HttpService {

  /** The name the contract's clients expect. */
  static final String NAME = "@atpkeyserver/server";

  private final byte[] body;

  /**
   * @param version the running build's version
   */
  public MetadataService(String version) {
    // Built once: it never changes while the server runs.
    this.body =
        JsonOut.toBytes(
            out ->
                out.beginObject()
                    .name("name")
                    .value(NAME)
                    .name("version")
                    .value(version)
                    .endObject());
  }

  @Override
  public void routing(HttpRules rules) {
    rules.get("/", this::metadata);
  }

  private void metadata(ServerRequest req, ServerResponse res) {
    res.header(ErrorBodies.CONTENT_TYPE_JSON).send(body);
  }
}
