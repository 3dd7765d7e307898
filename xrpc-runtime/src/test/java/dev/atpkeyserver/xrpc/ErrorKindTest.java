package dev.atpkeyserver.xrpc;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ErrorKindTest {

  @Test
  void carriesTheContractsStatusesAndReasonPhrases() {
    assertThat(ErrorKind.BAD_REQUEST.status(), is(400));
    assertThat(ErrorKind.BAD_REQUEST.reasonPhrase(), is("Bad Request"));
    assertThat(ErrorKind.UNAUTHORIZED.reasonPhrase(), is("Unauthorized"));
    assertThat(ErrorKind.FORBIDDEN.reasonPhrase(), is("Forbidden"));
    assertThat(ErrorKind.NOT_FOUND.reasonPhrase(), is("Not Found"));
    assertThat(ErrorKind.CONFLICT.status(), is(409));
    assertThat(ErrorKind.PAYLOAD_TOO_LARGE.reasonPhrase(), is("Payload Too Large"));
    assertThat(ErrorKind.URI_TOO_LONG.status(), is(414));
    assertThat(ErrorKind.URI_TOO_LONG.reasonPhrase(), is("URI Too Long"));
    assertThat(ErrorKind.UNSUPPORTED_MEDIA_TYPE.status(), is(415));
    assertThat(ErrorKind.REQUEST_HEADER_FIELDS_TOO_LARGE.status(), is(431));
    assertThat(
        ErrorKind.REQUEST_HEADER_FIELDS_TOO_LARGE.reasonPhrase(),
        is("Request Header Fields Too Large"));
    assertThat(ErrorKind.TOO_MANY_REQUESTS.status(), is(429));
    assertThat(ErrorKind.INTERNAL.reasonPhrase(), is("Internal Server Error"));
    assertThat(ErrorKind.NOT_IMPLEMENTED.status(), is(501));
    assertThat(ErrorKind.SERVICE_UNAVAILABLE.reasonPhrase(), is("Service Unavailable"));
  }

  @ParameterizedTest
  @EnumSource(ErrorKind.class)
  void forStatusFindsEveryKindByItsStatus(ErrorKind kind) {
    assertThat(ErrorKind.forStatus(kind.status()), is(Optional.of(kind)));
  }

  @Test
  void forStatusIsEmptyForAnUnknownStatus() {
    assertThat(ErrorKind.forStatus(418), is(Optional.empty()));
    assertThat(ErrorKind.forStatus(200), is(Optional.empty()));
  }
}
