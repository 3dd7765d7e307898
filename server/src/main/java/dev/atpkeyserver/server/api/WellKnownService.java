package dev.atpkeyserver.server.api;

import dev.atpkeyserver.xrpc.ErrorBodies;
import dev.atpkeyserver.xrpc.JsonOut;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.net.URI;

/**
 * {@code GET /.well-known/did.json}: the service's did:web document, which PDSes read to find this
 * keyserver when a client asks them to proxy with {@code atproto-proxy: <service
 * DID>#atp_keyserver}.
 */
public final class WellKnownService implements HttpService {

  /** The service entry's id; also the fragment accepted in a token's {@code aud}. */
  public static final String SERVICE_ID = "#atp_keyserver";

  private final byte[] body;

  /**
   * @param serviceDid the document's {@code id}
   * @param publicUrl the {@code serviceEndpoint}
   */
  public WellKnownService(String serviceDid, URI publicUrl) {
    String endpoint = publicUrl.toString();
    // The contract's example ends the endpoint with a slash; keep one form whatever was configured.
    String normalised = endpoint.endsWith("/") ? endpoint : endpoint + "/";
    this.body =
        JsonOut.toBytes(
            out ->
                out.beginObject()
                    .name("@context")
                    .beginArray()
                    .value("https://www.w3.org/ns/did/v1")
                    .endArray()
                    .name("id")
                    .value(serviceDid)
                    .name("service")
                    .beginArray()
                    .beginObject()
                    .name("id")
                    .value(SERVICE_ID)
                    .name("type")
                    .value("AtpKeyserver")
                    .name("serviceEndpoint")
                    .value(normalised)
                    .endObject()
                    .endArray()
                    .endObject());
  }

  @Override
  public void routing(HttpRules rules) {
    rules.get("/did.json", this::document);
  }

  private void document(ServerRequest req, ServerResponse res) {
    res.header(ErrorBodies.CONTENT_TYPE_JSON).send(body);
  }
}
