package io.tollgate.gateway;

import io.tollgate.config.TollgateConfig;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.httpproxy.Body;
import io.vertx.httpproxy.HttpProxy;
import io.vertx.httpproxy.ProxyContext;
import io.vertx.httpproxy.ProxyInterceptor;
import io.vertx.httpproxy.ProxyResponse;
import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One configured route: its match rule, its required scopes and a reverse proxy to its backends. */
final class GatewayRoute implements ProxyInterceptor {
  private static final Logger log = LoggerFactory.getLogger(GatewayRoute.class);

  final TollgateConfig.Route config;
  final Set<String> scopes;
  final HttpProxy proxy;
  private final List<URI> backends;
  private final AtomicInteger next = new AtomicInteger();

  GatewayRoute(TollgateConfig.Route config, HttpClient client) {
    this.config = config;
    this.scopes = Set.copyOf(config.scopes());
    this.backends = config.backends();
    this.proxy = HttpProxy.reverseProxy(client).origin(this::origin).addInterceptor(this);
  }

  /** Round robin over the backends. */
  private Future<HttpClientRequest> origin(ProxyContext context) {
    URI backend = backends.get(Math.floorMod(next.getAndIncrement(), backends.size()));
    int port = backend.getPort() > 0 ? backend.getPort() : "https".equals(backend.getScheme()) ? 443 : 80;
    context.set("backend", backend.toString());
    return context.client().request(new RequestOptions().setHost(backend.getHost()).setPort(port)
        .setSsl("https".equals(backend.getScheme())).setIdleTimeout(config.timeout()));
  }

  @Override
  public Future<ProxyResponse> handleProxyRequest(ProxyContext context) {
    context.request().setURI(rewrite(context.request().getURI()));
    return context.sendRequest().recover(failure -> {
      boolean timeout = failure instanceof TimeoutException
          || failure.getClass().getSimpleName().contains("Timeout")
          || String.valueOf(failure.getMessage()).contains("timeout");
      int status = timeout ? 504 : 502;
      log.warn("backend {} failed for route {}: {} ({})", context.get("backend", String.class), config.path(),
          status, failure.getClass().getSimpleName());
      String body = new JsonObject().put("error", timeout ? "gateway_timeout" : "bad_gateway")
          .put("error_description", timeout ? "the backend did not answer in time" : "the backend is unreachable")
          .encode();
      return Future.succeededFuture(context.request().release().response().setStatusCode(status)
          .putHeader("Content-Type", "application/json").setBody(Body.body(Buffer.buffer(body))));
    });
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
