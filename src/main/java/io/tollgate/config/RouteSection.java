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
    TollgateConfig.BackendTls tls = r.has("tls") ? backendTls(r.section("tls")) : null;
    TollgateConfig.Cors cors = r.has("cors") ? CorsSection.read(r.section("cors")) : null;
    r.finish();
    return new Route(hosts, path, List.copyOf(backends), scopes, isPublic, stripPrefix, timeout, tls, cors);
  }

  /** {@code ca}: the PEM bundle https backends are verified against; {@code cert}/{@code key}: mTLS. */
  private static TollgateConfig.BackendTls backendTls(ConfigReader t) {
    java.nio.file.Path ca = t.has("ca") ? t.existingFile("ca") : null;
    java.nio.file.Path cert = t.has("cert") ? t.existingFile("cert") : null;
    java.nio.file.Path key = t.has("key") ? t.existingFile("key") : null;
    if ((cert == null) != (key == null)) {
      t.problem(cert == null ? "cert" : "key", "a client certificate needs both cert and key");
    } else if (cert != null && java.nio.file.Files.isRegularFile(cert) && java.nio.file.Files.isRegularFile(key)) {
      String problem = io.tollgate.tls.PemIdentity.problem(cert, key);
      if (problem != null) {
        t.problem("key", problem);
      }
    }
    t.finish();
    return new TollgateConfig.BackendTls(ca, cert, key);
  }
}
