package dev.atpkeyserver.xrpc;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.function.Executable;

/** Assertions on the {@link KeyserverException}s the runtime throws. */
final class Rejections {

  private Rejections() {}

  /** Runs the code, asserts it fails with 400, and returns the message. */
  static String badRequest(Executable code) {
    return rejected(ErrorKind.BAD_REQUEST, code);
  }

  /** Runs the code, asserts it fails with the kind, and returns the message. */
  static String rejected(ErrorKind kind, Executable code) {
    KeyserverException e = assertThrows(KeyserverException.class, code);
    assertThat(e.kind(), is(kind));
    return e.safeMessage();
  }
}
