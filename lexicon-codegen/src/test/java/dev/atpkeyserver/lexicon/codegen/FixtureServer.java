package dev.atpkeyserver.lexicon.codegen;

import dev.atpkeyserver.xrpc.ErrorBodies;
import dev.atpkeyserver.xrpc.ErrorKind;
import dev.atpkeyserver.xrpc.KeyserverException;
import dev.atpkeyserver.xrpc.XrpcAuthenticator;
import dev.atpkeyserver.xrpc.XrpcCall;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http1.Http1Config;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.lang.reflect.RecordComponent;
import java.util.HashMap;
import java.util.Map;

/**
 * The generated routes of the fixture lexicons on a real Helidon WebServer, with handlers that echo
 * their parameters and body back as the output (the fixture outputs mirror their inputs), so a
 * response shows exactly what validation produced. {@code com.example.fixture.fail} throws a 409
 * with {@code Retry-After: 5}.
 */
final class FixtureServer {

  private FixtureServer() {}

  /**
   * Starts a server on a free port: the routes under {@code /xrpc} with a body limit of {@code
   * limit} bytes, and again under {@code /big/xrpc} with the default limit.
   */
  static WebServer start(ClassLoader generated, XrpcAuthenticator authenticator, int limit)
      throws ReflectiveOperationException {
    Class<?> handlersType = generated.loadClass("test.generated.XrpcHandlers");
    RecordComponent[] components = handlersType.getRecordComponents();
    Class<?>[] types = new Class<?>[components.length];
    Object[] handlers = new Object[components.length];
    for (int i = 0; i < components.length; i++) {
      types[i] = components[i].getType();
      handlers[i] = Proxy.newProxyInstance(generated, new Class<?>[] {types[i]}, MIRROR);
    }
    Object handlersRecord = handlersType.getDeclaredConstructor(types).newInstance(handlers);
    Class<?> routesType = generated.loadClass("test.generated.XrpcRoutes");
    HttpService limited =
        (HttpService)
            routesType
                .getConstructor(XrpcAuthenticator.class, handlersType, int.class)
                .newInstance(authenticator, handlersRecord, limit);
    HttpService defaults =
        (HttpService)
            routesType
                .getConstructor(XrpcAuthenticator.class, handlersType)
                .newInstance(authenticator, handlersRecord);
    return WebServer.builder()
        .port(0)
        // Helidon 4.1.7 refuses an unencoded ':' in a query string (helidon#9862, fixed in later
        // releases) unless prologue validation is off; DIDs and datetimes are full of them.
        .addProtocol(Http1Config.builder().validatePrologue(false).build())
        .routing(
            routing ->
                routing
                    .error(KeyserverException.class, (req, res, e) -> ErrorBodies.send(res, e))
                    .register("/xrpc", limited)
                    .register("/big/xrpc", defaults))
        .build()
        .start();
  }

  /** Builds the output from the components of the params and input with the same names. */
  private static final InvocationHandler MIRROR =
      (proxy, method, args) -> {
        if (method.getDeclaringClass() == Object.class) {
          return switch (method.getName()) {
            case "hashCode" -> System.identityHashCode(proxy);
            case "equals" -> proxy == args[0];
            default -> "mirror";
          };
        }
        XrpcCall call = (XrpcCall) args[args.length - 1];
        if (call.nsid().equals("com.example.fixture.fail")) {
          throw new KeyserverException(
              ErrorKind.CONFLICT, "Already exists", Map.of("Retry-After", "5"));
        }
        Map<String, Object> values = new HashMap<>();
        for (Object arg : args) {
          if (arg.getClass().isRecord()) {
            for (RecordComponent c : arg.getClass().getRecordComponents()) {
              values.put(c.getName(), c.getAccessor().invoke(arg));
            }
          }
        }
        Class<?> output = method.getReturnType();
        RecordComponent[] components = output.getRecordComponents();
        Class<?>[] types = new Class<?>[components.length];
        Object[] arguments = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
          types[i] = components[i].getType();
          arguments[i] = values.get(components[i].getName());
        }
        try {
          return output.getDeclaredConstructor(types).newInstance(arguments);
        } catch (InvocationTargetException e) {
          throw e.getCause();
        }
      };
}
