package dev.atpkeyserver.server.http;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which database failures a client may retry (503) and which are bugs (500). */
class DatabaseUnavailableTest {

  @ParameterizedTest
  @ValueSource(strings = {"08006", "08001", "57P01", "57P02", "57P03", "55P03", "57014", "40P01"})
  void connectionLossShutdownAndTimeoutsAreRetryable(String sqlState) {
    RuntimeException wrapped =
        new IllegalStateException("Failed to execute Statement", new SQLException("x", sqlState));
    assertThat(ErrorHandling.isDatabaseUnavailable(wrapped), is(true));
  }

  @ParameterizedTest
  @ValueSource(strings = {"23505", "42P01", "22001"})
  void constraintAndSchemaErrorsAreNot(String sqlState) {
    RuntimeException wrapped =
        new IllegalStateException("Failed to execute Statement", new SQLException("x", sqlState));
    assertThat(ErrorHandling.isDatabaseUnavailable(wrapped), is(false));
  }

  @Test
  void noPooledConnectionInTimeIsRetryable() {
    SQLException timedOut =
        new SQLTransientConnectionException("keyserver - Connection is not available");
    assertThat(ErrorHandling.isDatabaseUnavailable(new IllegalStateException(timedOut)), is(true));
  }
}
