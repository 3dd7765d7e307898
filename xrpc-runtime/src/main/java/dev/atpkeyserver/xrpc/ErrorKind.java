package dev.atpkeyserver.xrpc;

import java.util.Optional;

/**
 * The kinds of failure the keyserver reports, each with its HTTP status and the reason phrase that
 * the contract puts in the {@code error} member of every error body.
 */
public enum ErrorKind {
  /** 400: the request is malformed or breaks a lexicon rule. */
  BAD_REQUEST(400, "Bad Request"),
  /** 401: no valid service auth token. */
  UNAUTHORIZED(401, "Unauthorized"),
  /** 403: authenticated, but not allowed to touch the resource. */
  FORBIDDEN(403, "Forbidden"),
  /** 404: the resource does not exist. */
  NOT_FOUND(404, "Not Found"),
  /** 408: the request's head did not arrive in time; the connection is closed. */
  REQUEST_TIMEOUT(408, "Request Timeout"),
  /** 409: the request conflicts with the current state (for example a member added twice). */
  CONFLICT(409, "Conflict"),
  /** 413: the request body is over the size limit. */
  PAYLOAD_TOO_LARGE(413, "Payload Too Large"),
  /** 414: the request line (method, path and query) is over the size limit. */
  URI_TOO_LONG(414, "URI Too Long"),
  /** 415: the request body is not {@code application/json}. */
  UNSUPPORTED_MEDIA_TYPE(415, "Unsupported Media Type"),
  /** 429: rate limited. */
  TOO_MANY_REQUESTS(429, "Too Many Requests"),
  /** 431: the request headers are over the size limit. */
  REQUEST_HEADER_FIELDS_TOO_LARGE(431, "Request Header Fields Too Large"),
  /** 500: a bug or an unexpected failure; the message must stay generic. */
  INTERNAL(500, "Internal Server Error"),
  /** 501: no such XRPC method. */
  NOT_IMPLEMENTED(501, "Not Implemented"),
  /** 503: a dependency (for example the database) is unavailable; the client may retry. */
  SERVICE_UNAVAILABLE(503, "Service Unavailable");

  private final int status;
  private final String reasonPhrase;

  ErrorKind(int status, String reasonPhrase) {
    this.status = status;
    this.reasonPhrase = reasonPhrase;
  }

  /** The HTTP status code. */
  public int status() {
    return status;
  }

  /** The HTTP reason phrase, which is also the {@code error} member of the error body. */
  public String reasonPhrase() {
    return reasonPhrase;
  }

  /**
   * The kind with the given HTTP status.
   *
   * @param status an HTTP status code
   * @return the kind, or empty if no kind has that status
   */
  public static Optional<ErrorKind> forStatus(int status) {
    for (ErrorKind kind : values()) {
      if (kind.status == status) {
        return Optional.of(kind);
      }
    }
    return Optional.empty();
  }
}
