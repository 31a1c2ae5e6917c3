package io.tollgate.gateway;

import io.micrometer.core.instrument.MeterRegistry;
import io.tollgate.config.TollgateConfig;
import io.tollgate.tokens.AccessTokenVerifier;
import io.tollgate.tokens.RevocationList;
import io.tollgate.oauth.RequestFacts;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/** The gateway's shared parts, built once per process; {@link #handler} makes one per event loop. */
public final class GatewayService {
  private final RouteTable routes;
  private final VerifiedTokens tokens;
  private final GatewayMetrics metrics;

  private GatewayService(RouteTable routes, VerifiedTokens tokens, GatewayMetrics metrics) {
    this.routes = routes;
    this.tokens = tokens;
    this.metrics = metrics;
  }

  public static GatewayService create(Vertx vertx, TollgateConfig config, AccessTokenVerifier verifier,
      RevocationList revocations, MeterRegistry registry) {
    return new GatewayService(RouteTable.create(vertx, config.routes()), new VerifiedTokens(verifier, revocations),
        new GatewayMetrics(registry));
  }

  /**
   * The gateway for the calling event loop, with its own pooled keep-alive connections to the
   * backends: it answers or proxies the request and fills in its {@link RequestFacts}.
   */
  public BiConsumer<HttpServerRequest, RequestFacts> handler(Vertx vertx) {
    Map<Integer, HttpClient> byTimeout = new HashMap<>();
    Map<GatewayRoute, HttpClient> clients = new IdentityHashMap<>();
    for (GatewayRoute route : routes.all()) {
      clients.put(route, byTimeout.computeIfAbsent(route.config.timeout(), timeout -> client(vertx, timeout)));
    }
    return new Gateway(routes, tokens, new Forwarder(clients, metrics, new AnswerDeadlines(vertx)), metrics)::handle;
  }

  /**
   * A backend that falls silent in the middle of an answer loses its connection a little after the
   * route's timeout (a missing answer is AnswerDeadlines' 504 before that); the connection-level idle
   * check costs nothing per request, unlike a per-request timer.
   */
  private static HttpClient client(Vertx vertx, int timeoutMillis) {
    return vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setConnectTimeout(5_000)
            .setIdleTimeoutUnit(TimeUnit.MILLISECONDS).setIdleTimeout(timeoutMillis + 1_000),
        new PoolOptions().setHttp1MaxSize(64));
  }
}
