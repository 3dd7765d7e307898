package dev.atpkeyserver.did;

/**
 * The text is not a DID in atproto syntax, or a did:plc / did:web identifier is not well formed.
 * The message never repeats the rejected text, which may be arbitrary client input.
 */
public final class MalformedDidException extends DidResolutionException {

  /**
   * Creates the exception.
   *
   * @param message which syntax rule failed
   */
  public MalformedDidException(String message) {
    super(message);
  }
}
