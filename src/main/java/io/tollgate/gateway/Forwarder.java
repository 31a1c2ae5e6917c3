package io.tollgate.gateway;

import io.tollgate.cors.CorsPolicy;
import io.tollgate.gateway.Backends.Backend;
import io.tollgate.http.RequestFacts;
import io.tollgate.tokens.AccessToken;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams a request to a route's backend and the answer back, both bodies piped with back-pressure,
 * never buffered. A direct pipe over Vert.x's pooled HttpClient rather than vertx-http-proxy: the
 * profile (bench/PROFILE.md) put the library's wrappers, header copies and future chains at about a
 * quarter of the gateway's time, for features (caching, body transformation) the gateway does not use.
 * A backend that refuses the connection is skipped for the next one; no answer within the route's
 * timeout is a 504, no backend a 502.
 */
final class Forwarder implements Proxy {
  private static final Logger log = LoggerFactory.getLogger(Forwarder.class);

  private final BackendClients clients;
  private final GatewayMetrics metrics;
  private final AnswerDeadlines deadlines;

  Forwarder(BackendClients clients, GatewayMetrics metrics, AnswerDeadlines deadlines) {
    this.clients = clients;
    this.metrics = metrics;
    this.deadlines = deadlines;
  }

  @Override
  public void forward(HttpServerRequest request, String target, GatewayRoute route, AccessToken token,
      RequestFacts facts) {
    request.pause(); // the body waits until a backend connection takes it
    RequestOptions options = new RequestOptions().setMethod(request.method()).setURI(route.rewrite(target))
        .setHeaders(headersFor(request, token, facts));
    connect(options, route, route.backends.pick(), 1, facts)
        .onSuccess(backend -> LastResort.guard(request, () -> send(request, backend, route, facts)))
        .onFailure(failure -> LastResort.guard(request, () -> failed(request, route, failure, facts)));
  }

  @Override
  public void close() {
    clients.close();
  }

  /** RFC 9110 §9.2.2: a connection that was never established is safe to try elsewhere. */
  private Future<HttpClientRequest> connect(RequestOptions options, GatewayRoute route, Backend backend, int attempt,
      RequestFacts facts) {
    facts.backend(backend.label);
    return clients.forRoute(route.config).request(options.setHost(backend.host).setPort(backend.port).setSsl(backend.ssl))
        .recover(err -> {
          route.backends.refused(backend);
          Backend other = route.backends.pick();
          return attempt < route.backends.size() && !other.down()
              ? connect(options, route, other, attempt + 1, facts)
              : Future.failedFuture(err);
        });
  }

  /**
   * The caller's headers minus hop-by-hop ones, plus the gateway's. An HTTP/1.x request's names and
   * values were validated by Vert.x's decoder, the X-Auth-* values when the token was verified, and
   * the request id and trace context are RequestFacts' own (a tracestate is the caller's, decoded),
   * so they go out as a read-only map that the client takes without validating all of them again
   * (3.5% of the gateway's time, bench/PROFILE.md); an HTTP/2 request's are validated on the copy.
   */
  private static MultiMap headersFor(HttpServerRequest request, AccessToken token, RequestFacts facts) {
    MultiMap out = MultiMap.caseInsensitiveMultiMap();
    ProxiedHeaders.fill(out, request, token, facts);
    return request.version() == HttpVersion.HTTP_2 ? out : out.copy(false);
  }

  private void send(HttpServerRequest request, HttpClientRequest backend, GatewayRoute route, RequestFacts facts) {
    AnswerDeadlines.Wait wait = deadlines.begin(route.config.timeout(), timeout -> backend.reset(0, timeout));
    backend.response()
        .onSuccess(answer -> answer(request, backend, answer, wait, route.cors))
        .onFailure(failure -> {
          wait.answered();
          failed(request, route, failure, facts);
        });
    if (ProxiedHeaders.hasNoBody(request)) {
      backend.end();
      request.resume();
      return;
    }
    if (request.version() == HttpVersion.HTTP_2 && request.getHeader("Content-Length") == null) {
      untilEndOfStream(request, backend);
      return;
    }
    if (request.getHeader("Content-Length") == null) {
      backend.setChunked(true);
    }
    // a caller gone mid-body must not look like a complete body to the backend: reset, never end
    request.pipe().endOnFailure(false).to(backend).onFailure(err -> {
      backend.reset();
      drain(request);
    });
  }

  /**
   * An exchange that ends before the caller's body did lets Vert.x deliver what it holds of that body:
   * a paused request keeps its unread chunks in pooled direct buffers, freed only when delivered, so a
   * caller held back and then given up leaked them (bench/PROFILE.md, "Fifth pass";
   * {@code CallersGoneMidBodyTest}). Delivered to no handler, they are dropped.
   */
  private static void drain(HttpServerRequest request) {
    if (!request.isEnded()) {
      request.handler(null);
      request.resume();
    }
  }

  /**
   * RFC 9113 §8.1: an HTTP/2 request without Content-Length says whether it has a body only by its
   * DATA frames, so the backend request turns chunked at the first byte of body, and a GET that has
   * none goes out without any body framing. Back-pressure as in a pipe; a stream reset mid-body
   * resets the backend request, never ends it.
   */
  private static void untilEndOfStream(HttpServerRequest request, HttpClientRequest backend) {
    request.handler(chunk -> {
      if (chunk.length() == 0) {
        return;
      }
      if (!backend.isChunked()) {
        backend.setChunked(true);
      }
      backend.write(chunk);
      if (backend.writeQueueFull()) {
        request.pause();
        backend.drainHandler(drained -> request.resume());
      }
    });
    request.exceptionHandler(err -> backend.reset());
    request.endHandler(ended -> backend.end());
    request.resume();
  }

  /**
   * Streams the answer back with back-pressure. A hand-written pipe rather than {@code pipeTo}: every
   * chunk tells the deadline that the backend is still talking (the route's timeout counts silence,
   * not a whole long download), and a broken answer must close the caller's connection, never end
   * the response as if it were complete.
   */
  private static void answer(HttpServerRequest request, HttpClientRequest backend, HttpClientResponse answer,
      AnswerDeadlines.Wait wait, CorsPolicy cors) {
    HttpServerResponse response = request.response();
    ProxiedHeaders.answer(request, answer.statusCode(), answer.statusMessage(), answer.headers(), cors);
    wait.touch();
    long whole = ProxiedHeaders.wholeBodyLength(response);
    answer.handler(chunk -> {
      wait.touch();
      if (chunk.length() == whole && !response.headWritten()) {
        // the whole declared body in one read (the usual small answer): head and body go out as one
        // message, one encoder pass and one promise instead of a write and an end (bench/PROFILE.md)
        response.end(chunk);
        return;
      }
      response.write(chunk);
      if (response.writeQueueFull()) {
        answer.pause();
        response.drainHandler(drained -> answer.resume());
      }
    });
    answer.endHandler(ended -> {
      wait.answered();
      if (!response.ended()) {
        response.end();
      }
    });
    answer.exceptionHandler(err -> {
      wait.answered();
      log.debug("answer of {} broke off: {}", request.path(), err.toString());
      request.connection().close(); // a truncated body must not look complete
    });
    response.closeHandler(closed -> {
      wait.answered();
      backend.reset(); // the caller went away: nobody reads the rest
      drain(request);
    });
  }

  private void failed(HttpServerRequest request, GatewayRoute route, Throwable failure, RequestFacts facts) {
    BackendFailure.answer(request, route, failure, facts, metrics);
    drain(request);
  }
}
