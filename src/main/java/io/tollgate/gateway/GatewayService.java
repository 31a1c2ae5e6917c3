package io.tollgate.gateway;

import io.micrometer.core.instrument.MeterRegistry;
import io.tollgate.config.TollgateConfig;
import io.tollgate.http.RequestFacts;
import io.tollgate.tokens.TokenAcceptor;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The gateway's shared parts, built once per process; {@link #handler} makes one per event loop.
 * {@link #close()} stops every timer the gateway started: the backends' probes and each event
 * loop's answer-deadline sweep.
 */
public final class GatewayService implements AutoCloseable {
  /** One event loop's gateway: answers or proxies a request whose target has been made canonical. */
  @FunctionalInterface
  public interface Handler {
    /** {@code target} is the canonical origin-form target: the one routed, checked and forwarded. */
    void handle(HttpServerRequest request, String target, RequestFacts facts);
  }

  private final RouteTable routes;
  private final List<TollgateConfig.Route> routeConfigs;
  private final VerifiedTokens tokens;
  private final GatewayMetrics metrics;
  private final List<AnswerDeadlines> deadlines = new CopyOnWriteArrayList<>();

  private GatewayService(RouteTable routes, List<TollgateConfig.Route> routeConfigs, VerifiedTokens tokens,
      GatewayMetrics metrics) {
    this.routes = routes;
    this.routeConfigs = routeConfigs;
    this.tokens = tokens;
    this.metrics = metrics;
  }

  public static GatewayService create(Vertx vertx, List<TollgateConfig.Route> routes, TokenAcceptor acceptor,
      MeterRegistry registry) {
    return new GatewayService(RouteTable.create(vertx, routes), routes, new VerifiedTokens(acceptor),
        new GatewayMetrics(registry));
  }

  /**
   * The gateway for the calling event loop, with its own pooled keep-alive connections to the
   * backends: it answers or proxies the request and fills in its {@link RequestFacts}.
   */
  public Handler handler(Vertx vertx) {
    // per route with tls (its CA, its client certificate), else one shared pool (README, "TLS at the edge")
    BackendClients clients = BackendClients.create(vertx, routeConfigs);
    AnswerDeadlines loopDeadlines = new AnswerDeadlines(vertx);
    deadlines.add(loopDeadlines);
    return new Gateway(routes, tokens, new Forwarder(clients, metrics, loopDeadlines), metrics)::handle;
  }

  @Override
  public void close() {
    deadlines.forEach(AnswerDeadlines::close);
    routes.close();
  }
}
