package dev.atpkeyserver.xrpc;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.sameInstance;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KeyserverExceptionTest {

  @Test
  void isUncheckedAndCarriesKindAndMessage() {
    RuntimeException e = new KeyserverException(ErrorKind.NOT_FOUND, "Group not found");
    KeyserverException k = (KeyserverException) e;
    assertThat(k.kind(), is(ErrorKind.NOT_FOUND));
    assertThat(k.safeMessage(), is("Group not found"));
    assertThat(k.getMessage(), is("Group not found"));
    assertThat(k.headers(), is(Map.of()));
    assertThat(k.getCause(), is(nullValue()));
  }

  @Test
  void keepsACopyOfTheHeadersThatCannotBeChanged() {
    Map<String, String> headers = new HashMap<>();
    headers.put("Retry-After", "30");
    KeyserverException e =
        new KeyserverException(ErrorKind.TOO_MANY_REQUESTS, "Slow down", headers);
    headers.put("X-Other", "1");
    assertThat(e.headers(), is(Map.of("Retry-After", "30")));
    assertThrows(UnsupportedOperationException.class, () -> e.headers().put("a", "b"));
  }

  @Test
  void keepsTheCauseForTheLog() {
    IOException cause = new IOException("connection reset by 10.0.0.7");
    KeyserverException e =
        new KeyserverException(ErrorKind.SERVICE_UNAVAILABLE, "Try again", cause);
    assertThat(e.getCause(), is(sameInstance(cause)));
    assertThat(e.safeMessage(), is("Try again"));
  }

  @Test
  void refusesNullKindOrMessage() {
    assertThrows(NullPointerException.class, () -> new KeyserverException(null, "m"));
    assertThrows(
        NullPointerException.class, () -> new KeyserverException(ErrorKind.BAD_REQUEST, null));
  }
}
