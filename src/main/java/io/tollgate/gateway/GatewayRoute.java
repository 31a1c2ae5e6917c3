package io.tollgate.gateway;

import io.tollgate.config.TollgateConfig;
import io.tollgate.cors.CorsPolicy;
import java.util.Set;

/** One configured route: its match rule, required scopes, URI rewrite, backends and CORS policy. */
final class GatewayRoute {
  final TollgateConfig.Route config;
  final Set<String> scopes;
  final String scopeList;
  final Backends backends;
  /** The route's CORS policy, null without {@code cors}: then nothing about the route changes. */
  final CorsPolicy cors;

  GatewayRoute(TollgateConfig.Route config, Backends backends) {
    this.config = config;
    TollgateConfig.Cors c = config.cors();
    this.cors = c == null ? null : CorsPolicy.forRoute(c.origins(), c.methods(), c.headers(), c.maxAge());
    this.scopes = Set.copyOf(config.scopes());
    this.scopeList = String.join(" ", config.scopes());
    this.backends = backends;
  }

  /** Drops {@code _bearer_token} (never passed on) and, when configured, the route's prefix. */
  String rewrite(String uri) {
    int q = uri.indexOf('?');
    String path = q < 0 ? uri : uri.substring(0, q);
    String query = q < 0 ? null : BearerToken.withoutQueryToken(uri.substring(q + 1));
    if (config.stripPrefix() && path.startsWith(config.path())) {
      path = "/" + path.substring(config.path().length());
    }
    return query == null || query.isEmpty() ? path : path + "?" + query;
  }
}
