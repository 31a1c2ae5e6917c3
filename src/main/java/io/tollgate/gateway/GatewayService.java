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
 * The gateway's shared parts, built once per configuration (at start and by each reload);
 * {@link #handler} makes one per event loop. {@link #close()} stops every timer the gateway
 * started: the backends' probes and each event loop's answer-deadline sweep. A configuration
 * replaced by a reload is taken apart in two steps, so that its requests in flight finish: each
 * event loop closes its own {@link Handler} when its last request on it has ended, and
 * {@link #retire()} stops the shared probes.
 */
public final class GatewayService implements AutoCloseable {
  /** One event loop's gateway: answers or proxies a request whose target has been made canonical. */
  public interface Handler extends AutoCloseable {
    /** {@code target} is the canonical origin-form target: the one routed, checked and forwarded. */
    void handle(HttpServerRequest request, String target, RequestFacts facts);

    /** Closes this event loop's backend connections and its deadline sweep; call it on that event loop. */
    @Override
    void close();
  }

  /** The event loop's gateway with the pools and the sweep it alone uses. */
  private final class LoopHandler implements Handler {
    private final Gateway gateway;
    private final BackendClients clients;
    private final AnswerDeadlines loopDeadlines;

    LoopHandler(Gateway gateway, BackendClients clients, AnswerDeadlines loopDeadlines) {
      this.gateway = gateway;
      this.clients = clients;
      this.loopDeadlines = loopDeadlines;
    }

    @Override
    public void handle(HttpServerRequest request, String target, RequestFacts facts) {
      gateway.handle(request, target, facts);
    }

    @Override
    public void close() {
      deadlines.remove(loopDeadlines);
      loopDeadlines.close();
      clients.close();
    }
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
    return new LoopHandler(new Gateway(routes, tokens, new Forwarder(clients, metrics, loopDeadlines), metrics),
        clients, loopDeadlines);
  }

  /** The longest route timeout: how long a request in flight may wait for its backend in silence. */
  public int longestTimeoutMillis() {
    return routeConfigs.stream().mapToInt(TollgateConfig.Route::timeout).max().orElse(0);
  }

  /** Stops the backends' probes once a reload replaced this configuration; the event loops close their own parts. */
  public void retire() {
    routes.close();
  }

  @Override
  public void close() {
    deadlines.forEach(AnswerDeadlines::close);
    routes.close();
  }
}
