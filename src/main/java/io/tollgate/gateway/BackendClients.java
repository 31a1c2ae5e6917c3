package io.tollgate.gateway;

import io.tollgate.config.TollgateConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * One event loop's pooled HTTP/1.1 clients to the backends: a shared one that verifies https
 * backends against the system's trust store, and one per route with {@code tls} (its CA bundle,
 * its client certificate for mutual TLS). Host names are verified in every case (RFC 9110 §4.3.4).
 */
final class BackendClients {
  /** Connections per backend origin and event loop; requests beyond them wait their turn. */
  static final int POOL_SIZE = 64;

  private final HttpClient shared;
  private final Map<TollgateConfig.Route, HttpClient> byRoute;

  private BackendClients(HttpClient shared, Map<TollgateConfig.Route, HttpClient> byRoute) {
    this.shared = shared;
    this.byRoute = byRoute;
  }

  static BackendClients create(Vertx vertx, List<TollgateConfig.Route> routes) {
    HttpClient shared = vertx.createHttpClient(options(), pool());
    Map<TollgateConfig.Route, HttpClient> byRoute = new IdentityHashMap<>();
    for (TollgateConfig.Route route : routes) {
      if (route.tls() != null) {
        byRoute.put(route, vertx.createHttpClient(withTls(options(), route.tls()), pool()));
      }
    }
    return new BackendClients(shared, byRoute);
  }

  /** Closes every pooled connection: only once no request uses them any more. */
  void close() {
    shared.close();
    byRoute.values().forEach(HttpClient::close);
  }

  HttpClient forRoute(TollgateConfig.Route route) {
    return byRoute.getOrDefault(route, shared);
  }

  /** Also the Netty-level proxy's (NettyForwarder): the same connect and keep-alive timeouts, socket options, decoder limits. */
  static HttpClientOptions options() {
    return new HttpClientOptions().setKeepAlive(true).setConnectTimeout(5_000).setVerifyHost(true);
  }

  private static PoolOptions pool() {
    return new PoolOptions().setHttp1MaxSize(POOL_SIZE);
  }

  private static HttpClientOptions withTls(HttpClientOptions options, TollgateConfig.BackendTls tls) {
    if (tls.ca() != null) {
      options.setTrustOptions(new PemTrustOptions().addCertPath(tls.ca().toString()));
    }
    if (tls.cert() != null) {
      options.setKeyCertOptions(new PemKeyCertOptions().setCertPath(tls.cert().toString()).setKeyPath(tls.key().toString()));
    }
    return options;
  }
}
