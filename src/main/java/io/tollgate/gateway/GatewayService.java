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

/** The gateway's shared parts, built once per process; {@link #handler} makes one per event loop. */
public final class GatewayService {
  /** One event loop's gateway: answers or proxies a request whose target has been made canonical. */
  @FunctionalInterface
  public interface Handler {
    /** {@code target} is the canonical origin-form target: the one routed, checked and forwarded. */
    void handle(HttpServerRequest request, String target, RequestFacts facts);
  }

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
  public Handler handler(Vertx vertx) {
    HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setConnectTimeout(5_000),
        new PoolOptions().setHttp1MaxSize(64));
    return new Gateway(routes, tokens, new Forwarder(client, metrics, new AnswerDeadlines(vertx)), metrics)::handle;
  }
}
