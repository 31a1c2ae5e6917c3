package io.tollgate;

import io.tollgate.config.TollgateConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import java.util.function.Consumer;

/** One event loop's HTTP server; several instances share the listening socket. */
final class HttpVerticle extends VerticleBase {
  private final TollgateConfig.Http config;
  private final Routes routes;
  private final Consumer<Integer> boundPort;
  private HttpServer server;

  HttpVerticle(TollgateConfig.Http config, Routes routes, Consumer<Integer> boundPort) {
    this.config = config;
    this.routes = routes;
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
        .setIdleTimeout(120);
    if (config.tls() != null) {
      options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions()
          .setCertPath(config.tls().cert().toString())
          .setKeyPath(config.tls().key().toString()));
    }
    server = vertx.createHttpServer(options).requestHandler(routes.requestHandler(vertx));
    return server.listen().onSuccess(s -> boundPort.accept(s.actualPort()));
  }

  @Override
  public Future<?> stop() {
    // stops accepting at once; in-flight requests get up to the grace period to finish
    return server == null ? Future.succeededFuture()
        : server.shutdown(config.shutdownGraceSeconds(), java.util.concurrent.TimeUnit.SECONDS);
  }
}
