package dev.atpkeyserver.xrpc;

import static dev.atpkeyserver.xrpc.Rejections.rejected;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.atpkeyserver.did.Did;
import io.helidon.http.Method;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class XrpcCallTest {

  @Test
  void callerReturnsTheAuthenticatedDid() {
    XrpcCall call =
        new XrpcCall(
            "dev.atpkeyserver.alpha.keypair.getKeypair",
            Optional.of(new Did("plc", "abc")),
            Optional.of("192.0.2.1"),
            Optional.empty());
    assertThat(call.caller(), is(new Did("plc", "abc")));
  }

  @Test
  void callerRefusesAnUnauthenticatedCallWith401() {
    XrpcCall call = new XrpcCall("a.b.c", Optional.empty(), Optional.empty(), Optional.empty());
    assertThat(rejected(ErrorKind.UNAUTHORIZED, call::caller), is("Authentication required"));
  }

  @Test
  void refusesNullComponents() {
    assertThrows(
        NullPointerException.class,
        () -> new XrpcCall("a.b.c", null, Optional.empty(), Optional.empty()));
  }

  @Test
  void methodsMapToTheirHttpMethodAndPath() {
    XrpcMethod query = new XrpcMethod("dev.atpkeyserver.alpha.group.getKey", XrpcMethod.Kind.QUERY);
    XrpcMethod procedure =
        new XrpcMethod("dev.atpkeyserver.alpha.group.addMember", XrpcMethod.Kind.PROCEDURE);
    assertThat(query.httpMethod(), is(Method.GET));
    assertThat(procedure.httpMethod(), is(Method.POST));
    assertThat(query.path(), is("/xrpc/dev.atpkeyserver.alpha.group.getKey"));
  }

  @Test
  void methodsRefuseAnInvalidNsid() {
    assertThrows(
        IllegalArgumentException.class, () -> new XrpcMethod("not an nsid", XrpcMethod.Kind.QUERY));
  }
}
