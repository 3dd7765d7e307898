package dev.atpkeyserver.server.http;

import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http1.Http1ConnectionListener;

/**
 * The checks on a request's head that run in Helidon's HTTP/1 connection, before routing: the head
 * deadline, then the body framing. Register this one listener, not the two.
 *
 * <p>@NOTE Helidon 4.1.7 combines several receive listeners into one that forwards no call at all
 * ({@code Http1ConnectionListenerUtil.ListFrameListener} overrides nothing), so a second listener
 * would silently switch off both. RequestFramingTest and SlowClientsTest fail if that happens.
 */
public final class RequestHeadChecks implements Http1ConnectionListener {

  private final RequestHeadDeadline deadline;

  /**
   * @param deadline the head deadline, whose watchdog the caller starts and closes
   */
  public RequestHeadChecks(RequestHeadDeadline deadline) {
    this.deadline = deadline;
  }

  @Override
  public void prologue(ConnectionContext ctx, HttpPrologue prologue) {
    deadline.prologue(ctx, prologue);
  }

  @Override
  public void headers(ConnectionContext ctx, Headers headers) {
    // The deadline first: it must forget this connection even when the framing refuses it.
    deadline.headers(ctx, headers);
    RequestFraming.LISTENER.headers(ctx, headers);
  }
}
