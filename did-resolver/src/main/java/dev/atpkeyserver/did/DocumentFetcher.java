package dev.atpkeyserver.did;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpResponse.ResponseInfo;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * GETs DID documents over one shared {@link HttpClient}, with the official resolver's request rules
 * (no redirects, the DID Accept header, a timeout over the whole exchange) and a size cap on the
 * body.
 *
 * <p>The body is streamed: reading stops as soon as it passes the cap, so a hostile host cannot
 * make us buffer more than the cap. The timeout covers connect, headers and body together (the
 * JDK's request timeout alone stops at the headers, which would let a host trickle a body forever).
 */
final class DocumentFetcher {

  static final String ACCEPT = "application/did+ld+json,application/json";

  private final HttpClient client;
  private final Duration timeout;
  private final int maxBytes;

  DocumentFetcher(ResolverOptions options) {
    this.timeout = options.timeout();
    this.maxBytes = options.maxDocumentBytes();
    this.client =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            // @NOTE a redirect could lead anywhere, including past the did:web host check.
            .followRedirects(HttpClient.Redirect.NEVER)
            // We cancel bodies we do not want (error pages, oversized documents). Over HTTP/2 the
            // JDK then fails the whole exchange ("stream cancelled") and the status is lost; one
            // small GET gains nothing from HTTP/2.
            .version(HttpClient.Version.HTTP_1_1)
            .build();
  }

  /** A response: its status, and its body for a 2xx status (empty otherwise). */
  // Identity equality of the array component is harmless: read once by the resolver that asked,
  // never compared or hashed.
  @SuppressWarnings("ArrayRecordComponent")
  record Response(int status, byte[] body) {
    boolean isSuccess() {
      return status >= 200 && status < 300;
    }
  }

  /**
   * Fetches a URL within the given time.
   *
   * @param uri the document URL
   * @param budget how long the whole exchange may take
   * @param hostLabel who is asked, for messages ("PLC directory", "did:web host x")
   * @return the response; 2xx and 4xx/5xx statuses are returned, 3xx is refused
   * @throws DidHostUnavailableException on a redirect, a timeout or an I/O failure
   * @throws MalformedDidDocumentException if the body is larger than the cap
   */
  Response get(URI uri, Duration budget, String hostLabel)
      throws DidHostUnavailableException, MalformedDidDocumentException {
    if (budget.isNegative() || budget.isZero()) {
      throw timedOut(hostLabel, null);
    }
    HttpRequest request =
        HttpRequest.newBuilder(uri).timeout(budget).header("Accept", ACCEPT).GET().build();
    CompletableFuture<HttpResponse<byte[]>> future;
    try {
      future = client.sendAsync(request, this::subscriberFor);
    } catch (IllegalArgumentException e) {
      throw new DidHostUnavailableException("Cannot request " + hostLabel, false, e);
    }
    HttpResponse<byte[]> response;
    try {
      response = future.get(budget.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      // Cancelling aborts the exchange, so a slow host does not keep a connection busy.
      future.cancel(true);
      throw timedOut(hostLabel, e);
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw new DidHostUnavailableException("Interrupted while asking " + hostLabel, false, e);
    } catch (ExecutionException e) {
      if (causedBy(e, BodyTooLargeException.class)) {
        throw new MalformedDidDocumentException(
            "DID document from " + hostLabel + " is larger than " + maxBytes + " bytes");
      }
      if (causedBy(e, HttpTimeoutException.class)) {
        throw timedOut(hostLabel, e.getCause());
      }
      throw new DidHostUnavailableException("Could not reach " + hostLabel, true, e.getCause());
    }
    int status = response.statusCode();
    if (status >= 300 && status < 400) {
      throw new DidHostUnavailableException(
          hostLabel + " answered with a redirect (HTTP " + status + "), which is not followed",
          false);
    }
    return new Response(status, response.body());
  }

  private BodySubscriber<byte[]> subscriberFor(ResponseInfo info) {
    int status = info.statusCode();
    if (status < 200 || status >= 300) {
      // Only the status matters: do not read an error page.
      return new DiscardingSubscriber(null);
    }
    OptionalLong declared = info.headers().firstValueAsLong("Content-Length");
    if (declared.isPresent() && declared.getAsLong() > maxBytes) {
      return new DiscardingSubscriber(new BodyTooLargeException());
    }
    return new CappedBodySubscriber(maxBytes);
  }

  private static boolean causedBy(Throwable thrown, Class<? extends Throwable> type) {
    for (Throwable t = thrown; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  private DidHostUnavailableException timedOut(String hostLabel, Throwable cause) {
    return new DidHostUnavailableException(
        hostLabel + " did not answer within " + timeout.toMillis() + " ms", true, cause);
  }

  /** Signals a body over the cap through the response future; never leaves this class. */
  private static final class BodyTooLargeException extends IOException {
    BodyTooLargeException() {
      super("body too large", null);
    }
  }

  /** Cancels the body at once and completes with an empty body, or with the given failure. */
  private static final class DiscardingSubscriber implements BodySubscriber<byte[]> {
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private final IOException failure;

    DiscardingSubscriber(IOException failure) {
      this.failure = failure;
    }

    @Override
    public CompletionStage<byte[]> getBody() {
      return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      // Complete first, so the outcome is ours and not the cancellation's.
      if (failure == null) {
        result.complete(new byte[0]);
      } else {
        result.completeExceptionally(failure);
      }
      subscription.cancel();
    }

    @Override
    public void onNext(List<ByteBuffer> items) {}

    @Override
    public void onError(Throwable throwable) {
      result.completeExceptionally(throwable);
    }

    @Override
    public void onComplete() {
      result.complete(new byte[0]);
    }
  }

  /**
   * Collects the body one batch at a time and cancels the subscription as soon as it passes the
   * cap. Flow guarantees the callbacks are not concurrent.
   */
  private static final class CappedBodySubscriber implements BodySubscriber<byte[]> {
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private final int maxBytes;
    private Flow.Subscription subscription;

    CappedBodySubscriber(int maxBytes) {
      this.maxBytes = maxBytes;
    }

    @Override
    public CompletionStage<byte[]> getBody() {
      return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      this.subscription = subscription;
      subscription.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
      if (result.isDone()) {
        return;
      }
      for (ByteBuffer item : items) {
        if (item.remaining() > maxBytes - buffer.size()) {
          subscription.cancel();
          result.completeExceptionally(new BodyTooLargeException());
          return;
        }
        byte[] chunk = new byte[item.remaining()];
        item.get(chunk);
        buffer.write(chunk, 0, chunk.length);
      }
      subscription.request(1);
    }

    @Override
    public void onError(Throwable throwable) {
      result.completeExceptionally(throwable);
    }

    @Override
    public void onComplete() {
      result.complete(buffer.toByteArray());
    }
  }
}
