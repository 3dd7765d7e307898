package dev.atpkeyserver.xrpc;

import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.Map;
import java.util.Objects;

/** The responses generated routes send that are not handler output: success and routing errors. */
public final class XrpcResponses {

  /** The message for a known method called with the wrong HTTP method. */
  public static final String INCORRECT_HTTP_METHOD = "Incorrect HTTP method";

  /** The message for an XRPC path that names no method this server implements. */
  public static final String METHOD_NOT_IMPLEMENTED = "Method not implemented";

  private XrpcResponses() {}

  /**
   * Sends a handler's output: 200, {@code Content-Type: application/json} and the JSON body.
   *
   * @param res the response
   * @param output the output
   */
  public static void sendJson(ServerResponse res, JsonWritable output) {
    Objects.requireNonNull(output, "The handler returned null");
    byte[] body = JsonOut.toBytes(output);
    res.status(Status.OK_200);
    res.header(ErrorBodies.CONTENT_TYPE_JSON);
    res.send(body);
  }

  /**
   * A route handler for a known method called with the wrong HTTP method. As in the reference XRPC
   * server this is 400, not 405; the {@code Allow} header names the right method.
   *
   * @param method the method the path belongs to
   * @return a handler that throws {@link KeyserverException} 400 {@value #INCORRECT_HTTP_METHOD}
   */
  public static Handler wrongHttpMethod(XrpcMethod method) {
    Map<String, String> allow = Map.of("Allow", method.httpMethod().text());
    return (req, res) -> {
      throw new KeyserverException(ErrorKind.BAD_REQUEST, INCORRECT_HTTP_METHOD, allow);
    };
  }

  /**
   * A route handler for a path under {@code /xrpc} that names no known method: 501, as in the
   * reference XRPC server.
   *
   * @param req the request
   * @param res the response
   * @throws KeyserverException always: 501 {@value #METHOD_NOT_IMPLEMENTED}
   */
  // Throwing is this handler's whole job: routing calls it through a method reference, which
  // @DoNotCall would forbid.
  @SuppressWarnings("DoNotCallSuggester")
  public static void notImplemented(ServerRequest req, ServerResponse res) {
    throw new KeyserverException(ErrorKind.NOT_IMPLEMENTED, METHOD_NOT_IMPLEMENTED);
  }
}
