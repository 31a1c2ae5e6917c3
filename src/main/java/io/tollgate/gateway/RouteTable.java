package io.tollgate.gateway;

import io.tollgate.config.TollgateConfig;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import java.util.Comparator;
import java.util.List;

/** README "The gateway with curl": first by host (exact or {@code *.example.be}), then the longest path prefix. */
final class RouteTable implements AutoCloseable {
  private final List<GatewayRoute> routes;
  private final NetClient prober;

  /** Built once per process: backend health is shared by every event loop. */
  static RouteTable create(Vertx vertx, List<TollgateConfig.Route> routes) {
    NetClient prober = Backends.prober(vertx);
    return new RouteTable(routes.stream()
        .map(route -> new GatewayRoute(route, new Backends(vertx, prober, route.backends())))
        .toList(), prober);
  }

  private RouteTable(List<GatewayRoute> routes, NetClient prober) {
    this.prober = prober;
    // longest prefix first, so the first host match wins
    this.routes = routes.stream()
        .sorted(Comparator.comparingInt((GatewayRoute r) -> r.config.path().length()).reversed())
        .toList();
  }

  /** Stops every backend's probes and closes the prober. */
  @Override
  public void close() {
    routes.forEach(route -> route.backends.close());
    prober.close();
  }

  /**
   * The route for this host (without port; null when the request named none) and canonical target,
   * or null. A route's path has no {@code ?}, so a prefix of the target is a prefix of its path:
   * matching the whole target spares cutting the query off.
   */
  GatewayRoute match(String host, String target) {
    String name = host == null ? "" : host;
    for (GatewayRoute route : routes) {
      if (target.startsWith(route.config.path()) && hostMatches(route.config.hosts(), name)) {
        return route;
      }
    }
    return null;
  }

  /** Exact (any case) or {@code *.example.be} (a subdomain, any case) or {@code *}; no allocation per call. */
  private static boolean hostMatches(List<String> patterns, String host) {
    for (String pattern : patterns) {
      if (pattern.equals("*") || pattern.equalsIgnoreCase(host)) {
        return true;
      }
      int suffix = pattern.length() - 1; // "*.example.be" → ".example.be"
      if (pattern.startsWith("*.") && host.length() > suffix
          && host.regionMatches(true, host.length() - suffix, pattern, 1, suffix)) {
        return true;
      }
    }
    return false;
  }
}
