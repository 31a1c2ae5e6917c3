package io.tollgate.config;

import io.tollgate.config.TollgateConfig.Route;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/** One entry of the {@code routes} list: the gateway's match rule, scopes and backends. */
final class RouteSection {
  private RouteSection() {}

  static Route read(ConfigReader r) {
    List<String> hosts = r.strings("hosts", List.of("*"));
    String path = r.requiredString("path");
    if (path != null && !path.startsWith("/")) {
      r.problem("path", "must start with /, got \"" + path + "\"");
    } else if (path != null && (path.indexOf('?') >= 0 || path.indexOf('#') >= 0)) {
      r.problem("path", "a path prefix without query or fragment, got \"" + path + "\""); // routes match the whole target
    }
    List<URI> backends = new ArrayList<>();
    for (String backend : r.strings("backends", List.of())) {
      try {
        URI uri = URI.create(backend);
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
          r.problem("backends", "not an http(s) URL: \"" + backend + "\"");
        } else {
          backends.add(uri);
        }
      } catch (IllegalArgumentException e) {
        r.problem("backends", "not a URL: \"" + backend + "\"");
      }
    }
    if (!r.has("backends") || backends.isEmpty() && r.strings("backends", List.of()).isEmpty()) {
      r.problem("backends", "a route needs at least one backend");
    }
    List<String> scopes = r.strings("scopes", List.of());
    boolean isPublic = r.bool("public", false);
    boolean stripPrefix = r.bool("stripPrefix", false);
    int timeout = r.integer("timeout", 30_000, 1, 3_600_000);
    r.finish();
    return new Route(hosts, path, List.copyOf(backends), scopes, isPublic, stripPrefix, timeout);
  }
}
