package dev.atpkeyserver.server.testing;

/** The ways a PLC directory or a did:web host can fail us, as {@link FaultyDidHost} plays them. */
public enum DidHostFault {
  /** Nothing listens: connection refused. Takes the whole host down, not one DID. */
  DOWN,
  /** Answers only after {@link FaultyDidHost#SLOW_MILLIS}, far past any test's timeout. */
  SLOW,
  /** 200 with an HTML page. */
  NOT_JSON,
  /** 200 with JSON that has the right {@code id} but is not a DID document. */
  WRONG_SHAPE,
  /** 200 with a valid document, signed-for key included, for another DID. */
  OTHER_DID,
  /** 200 with the right document padded to 1 MiB, streamed without a Content-Length. */
  HUGE,
  /** 500 with an error page. */
  HTTP_500
}
