package io.tollgate.gateway;

import io.tollgate.config.TollgateConfig;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** CONTRACT §6: first by host (exact or {@code *.example.be}), then the longest path prefix. */
final class RouteTable {
  private final List<GatewayRoute> routes;

  /** Built once per process: backend health is shared by every event loop. */
  static RouteTable create(Vertx vertx, List<TollgateConfig.Route> routes) {
    NetClient prober = Backends.prober(vertx);
    return new RouteTable(routes.stream()
        .map(route -> new GatewayRoute(route, new Backends(vertx, prober, route.backends())))
        .toList());
  }

  RouteTable(List<GatewayRoute> routes) {
    // longest prefix first, so the first host match wins
    this.routes = routes.stream()
        .sorted(Comparator.comparingInt((GatewayRoute r) -> r.config.path().length()).reversed())
        .toList();
  }

  /** The route for this host header and path, or null. */
  GatewayRoute match(String hostHeader, String path) {
    String host = hostOnly(hostHeader);
    for (GatewayRoute route : routes) {
      if (path.startsWith(route.config.path()) && hostMatches(route.config.hosts(), host)) {
        return route;
      }
    }
    return null;
  }

  private static boolean hostMatches(List<String> patterns, String host) {
    for (String pattern : patterns) {
      if (pattern.equals("*") || pattern.equalsIgnoreCase(host)
          || pattern.startsWith("*.") && host.endsWith(pattern.substring(1).toLowerCase(Locale.ROOT))) {
        return true;
      }
    }
    return false;
  }

  private static String hostOnly(String hostHeader) {
    if (hostHeader == null) {
      return "";
    }
    String host = hostHeader.toLowerCase(Locale.ROOT);
    int colon = host.lastIndexOf(':');
    return colon > 0 && !host.endsWith("]") ? host.substring(0, colon) : host;
  }
}
