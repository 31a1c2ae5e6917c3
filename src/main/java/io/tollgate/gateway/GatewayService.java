package io.tollgate.gateway;

import io.micrometer.core.instrument.MeterRegistry;
import io.tollgate.config.TollgateConfig;
import io.tollgate.tokens.AccessTokenVerifier;
import io.tollgate.tokens.RevocationList;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;

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

  /** The gateway for the calling event loop, with its own keep-alive connections to the backends. */
  public Handler<RoutingContext> handler(Vertx vertx) {
    return Gateway.create(vertx, routes, tokens, metrics);
  }
}
