package io.tollgate.gateway;

import io.micrometer.core.instrument.MeterRegistry;
import io.tollgate.config.TollgateConfig;
import io.tollgate.gateway.netty.BackendChannels;
import io.tollgate.gateway.netty.BackendTls;
import io.tollgate.http.RequestFacts;
import io.tollgate.tokens.TokenAcceptor;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's shared parts, built once per configuration (at start and by each reload);
 * {@link #handler} makes one per event loop. {@link #close()} stops every timer the gateway
 * started: the backends' probes and each event loop's answer-deadline sweep. A configuration
 * replaced by a reload is taken apart in two steps, so that its requests in flight finish: each
 * event loop closes its own {@link Handler} when its last request on it has ended, and
 * {@link #retire()} stops the shared probes.
 */
public final class GatewayService implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(GatewayService.class);
  /**
   * How the gateway talks to backends (README, "Configuration reference"): {@code TOLLGATE_PROXY}, or the
   * system property {@code tollgate.proxy} beside it (for paired measurements of one jar, bench/ab.sh):
   * {@code netty}, Netty channels on each event loop, the default (bench/PROFILE.md "Fourth pass",
   * "Fifth pass": a quarter less CPU per request), or {@code vertx}, Vert.x's HttpClient. The same
   * behaviour either way; the gateway and security tests run on both (pom.xml).
   */
  public static final String PROXY = "TOLLGATE_PROXY";

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
    private final Proxy proxy;
    private final AnswerDeadlines loopDeadlines;

    LoopHandler(Gateway gateway, Proxy proxy, AnswerDeadlines loopDeadlines) {
      this.gateway = gateway;
      this.proxy = proxy;
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
      proxies.remove(proxy);
      proxy.close();
    }
  }

  private final RouteTable routes;
  private final List<TollgateConfig.Route> routeConfigs;
  private final VerifiedTokens tokens;
  private final GatewayMetrics metrics;
  /** Null for Vert.x's HttpClient; else how each route's https backends are verified (Netty-level proxy). */
  private final Function<TollgateConfig.Route, BackendTls> nettyTls;
  private final List<AnswerDeadlines> deadlines = new CopyOnWriteArrayList<>();
  private final List<Proxy> proxies = new CopyOnWriteArrayList<>();

  private GatewayService(RouteTable routes, List<TollgateConfig.Route> routeConfigs, VerifiedTokens tokens,
      GatewayMetrics metrics, Function<TollgateConfig.Route, BackendTls> nettyTls) {
    this.routes = routes;
    this.routeConfigs = routeConfigs;
    this.tokens = tokens;
    this.metrics = metrics;
    this.nettyTls = nettyTls;
  }

  public static GatewayService create(Vertx vertx, List<TollgateConfig.Route> routes, TokenAcceptor acceptor,
      MeterRegistry registry) {
    boolean netty = netty(chosenProxy());
    log.info("gateway proxy: {}", netty ? "netty" : "vertx");
    return new GatewayService(RouteTable.create(vertx, routes), routes, new VerifiedTokens(acceptor),
        new GatewayMetrics(registry), netty ? tlsByRoute(vertx, routes) : null);
  }

  /** {@link #PROXY}'s value: the system property first, then the environment; {@code netty} when neither says. */
  public static String chosenProxy() {
    String named = System.getProperty("tollgate.proxy", System.getenv(PROXY));
    return named == null || named.isBlank() ? "netty" : named.trim();
  }

  private static boolean netty(String proxy) {
    return switch (proxy) {
      case "netty" -> true;
      case "vertx" -> false;
      default -> throw new IllegalArgumentException(PROXY + " must be netty or vertx, got \"" + proxy + "\"");
    };
  }

  /** One TLS context per route with {@code tls} and one for the system's trust store, each read once, on a worker. */
  private static Function<TollgateConfig.Route, BackendTls> tlsByRoute(Vertx vertx, List<TollgateConfig.Route> routes) {
    boolean https = routes.stream().flatMap(route -> route.backends().stream())
        .anyMatch(uri -> "https".equalsIgnoreCase(uri.getScheme()));
    BackendTls system = https ? BackendTls.load(vertx, null) : null;
    Map<TollgateConfig.Route, BackendTls> byRoute = new IdentityHashMap<>();
    for (TollgateConfig.Route route : routes) {
      if (route.tls() != null) {
        byRoute.put(route, BackendTls.load(vertx, route.tls()));
      }
    }
    return route -> byRoute.getOrDefault(route, system);
  }

  /**
   * The gateway for the calling event loop, with its own pooled keep-alive connections to the
   * backends: it answers or proxies the request and fills in its {@link RequestFacts}.
   */
  public Handler handler(Vertx vertx) {
    AnswerDeadlines loopDeadlines = new AnswerDeadlines(vertx);
    deadlines.add(loopDeadlines);
    Proxy proxy = nettyTls == null
        // per route with tls (its CA, its client certificate), else one shared pool (README, "TLS at the edge")
        ? new Forwarder(BackendClients.create(vertx, routeConfigs), metrics, loopDeadlines)
        : new NettyForwarder(BackendChannels.forCurrentEventLoop(vertx, BackendClients.options(), BackendClients.POOL_SIZE),
            nettyTls, metrics, loopDeadlines);
    proxies.add(proxy);
    return new LoopHandler(new Gateway(routes, tokens, proxy, metrics), proxy, loopDeadlines);
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
    if (nettyTls != null) {
      proxies.forEach(Proxy::close); // Netty channels outlive a shared Vertx's stop unless closed (each on its loop)
    }
  }
}
