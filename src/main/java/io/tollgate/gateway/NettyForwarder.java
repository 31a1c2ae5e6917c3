package io.tollgate.gateway;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.tollgate.config.TollgateConfig;
import io.tollgate.gateway.Backends.Backend;
import io.tollgate.gateway.netty.BackendChannel;
import io.tollgate.gateway.netty.BackendChannels;
import io.tollgate.gateway.netty.BackendTls;
import io.tollgate.gateway.netty.Origin;
import io.tollgate.http.RequestFacts;
import io.tollgate.tokens.AccessToken;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.impl.headers.HeadersMultiMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The proxy at the Netty level (issue 15, bench/PROFILE.md "Fourth pass"): the caller's request, as
 * Vert.x's server decoded it, goes to the backend over one of this event loop's own Netty channels
 * ({@link BackendChannels}), with the same edits, framing, retries, deadlines and failures as
 * {@link Forwarder}, without Vert.x's client: no RequestOptions, no client request and response
 * objects, no futures per request, no copy of the answer's bytes. The request head is built once;
 * {@link NettyExchange} relays the rest.
 */
final class NettyForwarder implements Proxy {
  private final BackendChannels channels;
  private final Function<TollgateConfig.Route, BackendTls> tls;
  private final GatewayMetrics metrics;
  private final AnswerDeadlines deadlines;
  /** Each backend's origin, per route (its TLS settings); Backend objects live as long as the route table. */
  private final Map<Backend, Origin> origins = new IdentityHashMap<>();

  NettyForwarder(BackendChannels channels, Function<TollgateConfig.Route, BackendTls> tls, GatewayMetrics metrics,
      AnswerDeadlines deadlines) {
    this.channels = channels;
    this.tls = tls;
    this.metrics = metrics;
    this.deadlines = deadlines;
  }

  @Override
  public void forward(HttpServerRequest request, String target, GatewayRoute route, AccessToken token,
      RequestFacts facts) {
    if (!channels.onItsEventLoop()) {
      throw new IllegalStateException("a request on another event loop than its gateway's");
    }
    NettyExchange exchange = new NettyExchange(this, request, route, facts, head(request, route.rewrite(target), token, facts));
    attempt(exchange, route, route.backends.pick(), 1);
  }

  /**
   * The caller's headers minus hop-by-hop ones, plus the gateway's ({@link ProxiedHeaders}), in
   * Vert.x's header map, which Netty's encoder writes as it is. An HTTP/1.x request's were validated
   * by Vert.x's decoder, so the map does not validate them again; an HTTP/2 request's are validated here.
   */
  private static HttpRequest head(HttpServerRequest request, String uri, AccessToken token, RequestFacts facts) {
    HeadersMultiMap headers = request.version() == io.vertx.core.http.HttpVersion.HTTP_2
        ? HeadersMultiMap.httpHeaders() : HeadersMultiMap.caseInsensitive();
    ProxiedHeaders.fill(headers, request, token, facts);
    return new DefaultHttpRequest(HttpVersion.HTTP_1_1, request.method().toNetty(), uri, headers);
  }

  /** RFC 9110 §9.2.2: a connection that was never established is safe to try elsewhere. */
  private void attempt(NettyExchange exchange, GatewayRoute route, Backend backend, int attempt) {
    exchange.facts.backend(backend.label);
    Origin origin = origins.get(backend);
    if (origin == null) { // once per backend: no lambda allocated per request
      origin = new Origin(backend.host, backend.port, backend.ssl ? tls.apply(route.config) : null);
      origins.put(backend, origin);
    }
    Origin to = origin;
    channels.acquire(to, new BackendChannels.Acquirer() {
      @Override
      public void acquired(BackendChannel channel) {
        LastResort.guard(exchange.request, () -> exchange.start(channel, to));
      }

      @Override
      public void failed(Throwable cause) {
        LastResort.guard(exchange.request, () -> {
          route.backends.refused(backend);
          Backend other = route.backends.pick();
          if (attempt < route.backends.size() && !other.down()) {
            attempt(exchange, route, other, attempt + 1);
          } else {
            exchange.failed(cause);
          }
        });
      }
    });
  }

  /**
   * RFC 9112 §9.3.1: a kept-alive connection the backend closed just as the request went out is
   * tried once more on a new connection to the same backend, for a request that may be repeated.
   */
  void retry(NettyExchange exchange, Origin origin) {
    channels.acquireNew(origin, new BackendChannels.Acquirer() {
      @Override
      public void acquired(BackendChannel channel) {
        LastResort.guard(exchange.request, () -> exchange.start(channel, origin));
      }

      @Override
      public void failed(Throwable cause) {
        LastResort.guard(exchange.request, () -> exchange.failed(cause));
      }
    });
  }

  AnswerDeadlines deadlines() {
    return deadlines;
  }

  GatewayMetrics metrics() {
    return metrics;
  }

  @Override
  public void close() {
    channels.close();
  }
}
