package dev.atpkeyserver.did;

/**
 * The host answered, but with something that is not a valid DID document for the requested DID: not
 * JSON, the wrong shape, an {@code id} that is not the requested DID, or a body larger than the
 * configured limit.
 */
public final class MalformedDidDocumentException extends DidResolutionException {

  /**
   * Creates the exception.
   *
   * @param message which rule the document broke, safe to show
   */
  public MalformedDidDocumentException(String message) {
    super(message);
  }

  /**
   * Creates the exception with the parser failure as cause.
   *
   * @param message which rule the document broke, safe to show
   * @param cause the parser failure
   */
  public MalformedDidDocumentException(String message, Throwable cause) {
    super(message, cause);
  }
}
