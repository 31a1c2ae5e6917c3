package io.tollgate.gateway;

import io.tollgate.cors.CorsPolicy;
import io.tollgate.gateway.Backends.Backend;
import io.tollgate.http.ContentLength;
import io.tollgate.http.RequestFacts;
import io.tollgate.oauth.OAuthResponses;
import io.tollgate.tokens.AccessToken;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import java.util.Map;
import java.util.concurrent.TimeoutException;
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
final class Forwarder {
  private static final Logger log = LoggerFactory.getLogger(Forwarder.class);

  /**
   * RFC 9110 §7.6.1 hop-by-hop headers, and those the gateway writes itself (the request id and the
   * trace context are the ones in {@link RequestFacts}); the caller's identity and proxy headers in
   * every spelling are {@link CallerClaims}' business.
   */
  private static final MultiMap NOT_FORWARDED = names("connection", "keep-alive", "proxy-authenticate",
      "proxy-authorization", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade", "host",
      "expect", "x-request-id", "traceparent", "tracestate");
  private static final MultiMap NONE = MultiMap.caseInsensitiveMultiMap();
  /** Hop-by-hop headers of a backend's answer, and the request id, which the answer already carries. */
  private static final MultiMap NOT_RETURNED = names("connection", "keep-alive", "proxy-authenticate",
      "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade", "x-request-id");
  /** On a route with {@code cors}: also the backend's own CORS answers, which the route's policy replaces. */
  private static final MultiMap NOT_RETURNED_WITH_CORS = names(NOT_RETURNED.names().toArray(String[]::new))
      .addAll(names(CorsPolicy.REPLACED_IN_BACKEND_ANSWERS.toArray(String[]::new)));

  private final BackendClients clients;
  private final GatewayMetrics metrics;
  private final AnswerDeadlines deadlines;

  Forwarder(BackendClients clients, GatewayMetrics metrics, AnswerDeadlines deadlines) {
    this.clients = clients;
    this.metrics = metrics;
    this.deadlines = deadlines;
  }

  /** {@code token} is null on a public route; {@code target} is the canonical one the route was matched on. */
  void forward(HttpServerRequest request, String target, GatewayRoute route, AccessToken token, RequestFacts facts) {
    request.pause(); // the body waits until a backend connection takes it
    RequestOptions options = new RequestOptions().setMethod(request.method()).setURI(route.rewrite(target))
        .setHeaders(headersFor(request, token, facts));
    connect(options, route, route.backends.pick(), 1, facts)
        .onSuccess(backend -> LastResort.guard(request, () -> send(request, backend, route, facts)))
        .onFailure(failure -> LastResort.guard(request, () -> failed(request, route, failure, facts)));
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
    MultiMap listed = connectionOptions(request.headers());
    for (Map.Entry<String, String> header : request.headers()) {
      String name = header.getKey();
      if (!NOT_FORWARDED.contains(name) && !listed.contains(name) && !CallerClaims.isClaim(name)) {
        out.add(name, header.getValue());
      }
    }
    if (token != null) {
      out.set("X-Auth-Subject", token.subject());
      out.set("X-Auth-Client-Id", token.clientId());
      out.set("X-Auth-Scope", token.scope() == null ? "" : token.scope());
    }
    String client = request.remoteAddress() == null ? "" : request.remoteAddress().hostAddress();
    String proto = request.isSSL() ? "https" : "http";
    String host = request.authority() == null ? null : request.authority().toString();
    out.add("X-Forwarded-For", client);
    out.add("X-Forwarded-Proto", proto);
    if (host != null) {
      out.add("X-Forwarded-Host", host);
    }
    out.add("Forwarded", CallerClaims.forwarded(client, proto, host));
    out.add(OAuthResponses.REQUEST_ID, facts.requestId());
    out.add("traceparent", facts.traceparent());
    if (facts.tracestate() != null) {
      out.add("tracestate", facts.tracestate());
    }
    return request.version() == HttpVersion.HTTP_2 ? out : out.copy(false);
  }

  private void send(HttpServerRequest request, HttpClientRequest backend, GatewayRoute route, RequestFacts facts) {
    AnswerDeadlines.Wait wait = deadlines.begin(route.config.timeout(), backend);
    backend.response()
        .onSuccess(answer -> answer(request, backend, answer, wait, route.cors))
        .onFailure(failure -> {
          wait.answered();
          failed(request, route, failure, facts);
        });
    if (hasNoBody(request)) {
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
    request.pipe().endOnFailure(false).to(backend).onFailure(err -> backend.reset());
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

  /** RFC 9112 §6.3: an HTTP/1.x request without Content-Length or Transfer-Encoding has no body. */
  private static boolean hasNoBody(HttpServerRequest request) {
    if (request.version() == HttpVersion.HTTP_2) {
      return request.isEnded();
    }
    String length = request.getHeader("Content-Length");
    return request.getHeader("Transfer-Encoding") == null && (length == null || "0".equals(length));
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
    response.setStatusCode(answer.statusCode()).setStatusMessage(answer.statusMessage());
    if (cors == null) {
      copy(answer.headers(), response.headers(), NOT_RETURNED);
    } else {
      // the gateway put Allow-Origin and Vary: Origin on the response already (Gateway); one Vary for both
      copy(answer.headers(), response.headers(), NOT_RETURNED_WITH_CORS);
      CorsPolicy.mergeVary(answer.headers(), response.headers());
    }
    if (answer.getHeader("Content-Length") == null && mayHaveBody(request, answer.statusCode())
        && request.version() != HttpVersion.HTTP_1_0) {
      response.setChunked(true);
    }
    wait.touch();
    long whole = wholeBodyLength(response);
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
    });
  }

  /**
   * The answer's Content-Length when it is a plain number, else -1 (Netty's decoder refuses an answer
   * with more than one). A first chunk of exactly that length is the complete body (RFC 9112 §6.3),
   * so the answer may end with it; the backend's own end then changes nothing.
   */
  private static long wholeBodyLength(HttpServerResponse response) {
    String length = response.headers().get("Content-Length");
    return length != null && ContentLength.isPlain(length) ? Long.parseLong(length) : -1;
  }

  private static boolean mayHaveBody(HttpServerRequest request, int status) {
    return request.method() != HttpMethod.HEAD && status >= 200 && status != 204 && status != 304;
  }

  /** Copies headers except {@code skipped} and any a {@code Connection} header names (RFC 9110 §7.6.1). */
  private static void copy(MultiMap from, MultiMap to, MultiMap skipped) {
    MultiMap listed = connectionOptions(from);
    for (Map.Entry<String, String> header : from) {
      String name = header.getKey();
      if (!skipped.contains(name) && !listed.contains(name)) {
        to.add(name, header.getValue());
      }
    }
  }

  /** The header names listed in every {@code Connection} header; usually there is none. */
  private static MultiMap connectionOptions(MultiMap headers) {
    return headers.contains("Connection") ? names(String.join(",", headers.getAll("Connection")).split(",")) : NONE;
  }

  private void failed(HttpServerRequest request, GatewayRoute route, Throwable failure, RequestFacts facts) {
    HttpServerResponse response = request.response();
    if (response.headWritten()) {
      request.connection().close();
      return;
    }
    boolean timeout = failure instanceof TimeoutException || failure.getCause() instanceof TimeoutException
        || failure instanceof io.netty.channel.ConnectTimeoutException
        || failure instanceof io.netty.handler.timeout.TimeoutException;
    int status = timeout ? 504 : 502;
    metrics.backendError(facts.backend() == null ? "-" : facts.backend(), status);
    log.warn("backend failed for route {}: {} ({})", route.config.path(), status, failure.getClass().getSimpleName());
    if (!request.isEnded()) {
      request.resume(); // the body that was never sent is read and dropped
    }
    response.setStatusCode(status).putHeader("Content-Type", "application/json")
        .end(OAuthResponses.errorBody(response, timeout ? "gateway_timeout" : "bad_gateway",
            timeout ? "the backend did not answer in time" : "the backend is unreachable").encode());
  }

  /**
   * A set of header names, any case: Vert.x's header map, whose case-insensitive hash needs no
   * lower-cased copy of each name (a TreeSet's comparisons were 1% of the gateway's time).
   */
  private static MultiMap names(String... names) {
    MultiMap set = MultiMap.caseInsensitiveMultiMap();
    for (String name : names) {
      set.add(name.trim(), "");
    }
    return set;
  }
}
