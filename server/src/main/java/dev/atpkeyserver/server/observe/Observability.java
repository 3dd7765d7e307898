package dev.atpkeyserver.server.observe;

import dev.atpkeyserver.server.auth.signature.SignatureBackends;
import dev.atpkeyserver.server.db.Database;
import io.helidon.config.Config;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;
import io.helidon.webserver.observe.metrics.MetricsObserver;
import java.time.Duration;

/**
 * Helidon's observe feature with the keyserver's checks and meters: {@code /observe/health} ({@code
 * /live}, {@code /ready}) and {@code /observe/metrics}. It reads Helidon's own {@code
 * server.features.observe} node, so {@code sockets: [admin]} there moves the endpoints to a
 * separate listener declared under {@code server.sockets}.
 */
public final class Observability {

  /** Readiness answers within this even when the database does not. */
  static final Duration READINESS_TIMEOUT = Duration.ofSeconds(2);

  private Observability() {}

  /**
   * The feature to add to the web server.
   *
   * @param serverConfig Helidon's {@code server} node
   * @param metrics the keyserver's meters
   * @param database the database readiness depends on
   * @param signatures the signature backends, named in the health details
   * @return the feature
   */
  public static ObserveFeature feature(
      Config serverConfig,
      KeyserverMetrics metrics,
      Database database,
      SignatureBackends signatures) {
    return ObserveFeature.builder()
        .config(serverConfig.get("features.observe"))
        // Only what is added here: no observer or check found on the class path by itself.
        .observersDiscoverServices(false)
        .addObserver(
            HealthObserver.builder()
                .details(true)
                .useSystemServices(false)
                .addCheck(new DatabaseReadiness(database, READINESS_TIMEOUT))
                .addCheck(new SignatureBackendsCheck(signatures))
                .build())
        .addObserver(MetricsObserver.create())
        .build();
  }
}
