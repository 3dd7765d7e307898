package dev.atpkeyserver.server.observe;

import dev.atpkeyserver.xrpc.XrpcMethod;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import java.util.List;

/**
 * The routing filter that gives every request an id ({@code X-Request-Id}), and, once the response
 * is sent, counts and times it in {@link RequestMetrics} and writes its {@link RequestLog} line.
 * Answers written before routing (an unparseable request line, an oversized body) do not pass here.
 */
public final class RequestObserver implements Filter {

  static final HeaderName REQUEST_ID = HeaderNames.create(RequestId.HEADER);

  private final RouteLabels labels;
  private final RequestMetrics metrics;

  RequestObserver(List<XrpcMethod> methods, RequestMetrics metrics) {
    this.labels = new RouteLabels(methods);
    this.metrics = metrics;
  }

  @Override
  public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
    long start = System.nanoTime();
    RequestId id = RequestId.generate();
    req.context().register(id);
    res.header(REQUEST_ID, id.value());
    String route = labels.of(req.path().path());
    String method = req.prologue().method().text();
    res.whenSent(
        () -> {
          long nanos = System.nanoTime() - start;
          int status = res.status().code();
          metrics.record(route, status, nanos);
          RequestLog.log(id, method, route, status, nanos);
        });
    chain.proceed();
  }
}
