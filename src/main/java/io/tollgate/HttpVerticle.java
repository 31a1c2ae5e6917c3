package io.tollgate;

import io.tollgate.config.TollgateConfig;
import io.tollgate.tls.CertificateRotation;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** One event loop's HTTP server; several instances share the listening socket. */
final class HttpVerticle extends VerticleBase {
  private final TollgateConfig.Http config;
  private final Supplier<Routes> routes;
  private final CertificateRotation tls;
  private final Consumer<Integer> boundPort;
  private HttpServer server;

  /** {@code routes}: the live routes, read once per request (a volatile read); {@code tls} is null for a plain listener. */
  HttpVerticle(TollgateConfig.Http config, Supplier<Routes> routes, CertificateRotation tls, Consumer<Integer> boundPort) {
    this.config = config;
    this.routes = routes;
    this.tls = tls;
    this.boundPort = boundPort;
  }

  @Override
  public Future<?> start() {
    HttpServerOptions options = new HttpServerOptions()
        .setHost(config.host())
        .setPort(config.port())
        .setCompressionSupported(false)
        .setMaxInitialLineLength(8192)
        .setMaxHeaderSize(16384)
        // RFC 9113 §6.5.2: the same header budget over HTTP/2 as over HTTP/1.1
        .setInitialSettings(new Http2Settings().setMaxHeaderListSize(16384))
        .setIdleTimeout(120);
    Handler<HttpServerRequest> handler = new LiveHandler(vertx, routes, config.shutdownGraceSeconds());
    if (tls != null) {
      tls.configure(options);
      handler = withHsts(handler);
    }
    server = vertx.createHttpServer(options).requestHandler(handler);
    if (tls != null) {
      tls.attach(server);
    }
    return server.listen().onSuccess(s -> boundPort.accept(s.actualPort()));
  }

  /** RFC 6797 §7.1: Strict-Transport-Security only on answers sent over TLS. */
  private Handler<HttpServerRequest> withHsts(Handler<HttpServerRequest> next) {
    if (tls.config().hsts() < 0) {
      return next;
    }
    String value = "max-age=" + tls.config().hsts();
    return request -> {
      request.response().putHeader("Strict-Transport-Security", value);
      next.handle(request);
    };
  }

  @Override
  public Future<?> stop() {
    if (tls != null && server != null) {
      tls.detach(server);
    }
    // stops accepting at once; in-flight requests get up to the grace period to finish
    return server == null ? Future.succeededFuture()
        : server.shutdown(config.shutdownGraceSeconds(), java.util.concurrent.TimeUnit.SECONDS);
  }
}
