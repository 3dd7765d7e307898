package dev.atpkeyserver.server.observe;

import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Tag;
import io.helidon.metrics.api.Timer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * {@code keyserver_requests_total{route, status}} and {@code
 * keyserver_request_duration_seconds{route}}. Meters are looked up in a concurrent map by route
 * label (a constant string, so its hash is cached) and in an array by status code, and created once
 * on first use: recording takes no lock and allocates nothing.
 */
final class RequestMetrics {

  static final String REQUESTS = "keyserver.requests";
  static final String DURATION = "keyserver.request.duration";

  /** Histogram buckets: the 20k req/s target lives in the first few, DID fetches in the last. */
  private static final Duration[] BUCKETS = {
    Duration.ofMillis(1),
    Duration.ofMillis(2),
    Duration.ofMillis(5),
    Duration.ofMillis(10),
    Duration.ofMillis(25),
    Duration.ofMillis(50),
    Duration.ofMillis(100),
    Duration.ofMillis(250),
    Duration.ofMillis(500),
    Duration.ofSeconds(1),
    Duration.ofSeconds(3),
    Duration.ofSeconds(10)
  };

  private final MeterRegistry registry;
  private final ConcurrentHashMap<String, RouteMeters> routes = new ConcurrentHashMap<>();

  RequestMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  void record(String route, int status, long nanos) {
    RouteMeters meters = routes.get(route);
    if (meters == null) {
      meters = routes.computeIfAbsent(route, RouteMeters::new);
    }
    meters.duration.record(nanos, TimeUnit.NANOSECONDS);
    meters.count(status).increment();
  }

  /** The meters of one route. */
  private final class RouteMeters {
    private final String route;
    private final Timer duration;
    private final AtomicReferenceArray<Counter> byStatus = new AtomicReferenceArray<>(600);

    RouteMeters(String route) {
      this.route = route;
      this.duration =
          registry.getOrCreate(
              Timer.builder(DURATION)
                  .description("Time from routing to the last byte handed to the socket")
                  .tags(List.of(Tag.create("route", route)))
                  .buckets(BUCKETS)
                  // Buckets only: quantiles cost more per sample and cannot be summed across
                  // servers.
                  .percentiles(new double[0]));
    }

    Counter count(int status) {
      int index = status >= 100 && status < 600 ? status : 0;
      Counter counter = byStatus.get(index);
      if (counter == null) {
        counter =
            registry.getOrCreate(
                Counter.builder(REQUESTS)
                    .description("Requests answered, by route and HTTP status")
                    .tags(
                        List.of(
                            Tag.create("route", route),
                            Tag.create("status", Integer.toString(index)))));
        byStatus.set(index, counter);
      }
      return counter;
    }
  }
}
