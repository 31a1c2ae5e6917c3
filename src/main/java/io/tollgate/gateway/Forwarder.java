package io.tollgate.gateway;

import io.tollgate.gateway.Backends.Backend;
import io.tollgate.oauth.RequestFacts;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.httpproxy.Body;
import io.vertx.httpproxy.MediaType;
import io.vertx.httpproxy.ProxyRequest;
import io.vertx.httpproxy.ProxyResponse;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams a request to a route's backend and the answer back (vertx-http-proxy's {@link ProxyRequest}
 * drops hop-by-hop headers and never buffers a body). A backend that refuses the connection is
 * skipped for the next one; no answer within the route's timeout is a 504, no backend a 502.
 */
final class Forwarder {
  private static final Logger log = LoggerFactory.getLogger(Forwarder.class);

  private final HttpClient client;
  private final GatewayMetrics metrics;

  Forwarder(HttpClient client, GatewayMetrics metrics) {
    this.client = client;
    this.metrics = metrics;
  }

  void forward(RoutingContext ctx, GatewayRoute route) {
    ProxyRequest request = ProxyRequest.reverseProxy(ctx.request());
    request.setURI(route.rewrite(request.getURI()));
    Backend first = route.backends.pick();
    connect(ctx, route, first, 1)
        .compose(request::send)
        .recover(failure -> Future.succeededFuture(failed(ctx, route, request, failure)))
        .compose(ProxyResponse::send)
        .onFailure(err -> ctx.request().connection().close());
  }

  /** RFC 9110 §9.2.2: a connection that was never established is safe to try elsewhere. */
  private Future<HttpClientRequest> connect(RoutingContext ctx, GatewayRoute route, Backend backend, int attempt) {
    ctx.put(RequestFacts.BACKEND, backend.label);
    return client.request(new RequestOptions().setHost(backend.host).setPort(backend.port).setSsl(backend.ssl)
            .setIdleTimeout(route.config.timeout()))
        .recover(err -> {
          route.backends.refused(backend);
          Backend other = route.backends.pick();
          return attempt < route.backends.size() && !other.down()
              ? connect(ctx, route, other, attempt + 1)
              : Future.failedFuture(err);
        });
  }

  private ProxyResponse failed(RoutingContext ctx, GatewayRoute route, ProxyRequest request,
      Throwable failure) {
    boolean timeout = failure instanceof TimeoutException
        || failure.getClass().getSimpleName().contains("Timeout");
    int status = timeout ? 504 : 502;
    metrics.backendError(ctx.get(RequestFacts.BACKEND), status);
    log.warn("backend {} failed for route {}: {} ({})", (Object) ctx.get(RequestFacts.BACKEND),
        route.config.path(), status, failure.getClass().getSimpleName());
    String body = new JsonObject().put("error", timeout ? "gateway_timeout" : "bad_gateway")
        .put("error_description", timeout ? "the backend did not answer in time" : "the backend is unreachable")
        .encode();
    if (!ctx.request().isEnded()) {
      request.release(); // the body that was never sent is read and dropped
    }
    return request.response().setStatusCode(status)
        .setBody(Body.body(Buffer.buffer(body), MediaType.APPLICATION_JSON));
  }
}
