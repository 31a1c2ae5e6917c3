package io.tollgate.ops;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;

/** Development only: a backend that answers with what it received, so the README can show the gateway at work. */
public final class EchoBackend {
  private EchoBackend() {}

  public static Future<HttpServer> start(Vertx vertx, int port) {
    return vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
      JsonObject headers = new JsonObject();
      req.headers().forEach(h -> headers.put(h.getKey(), h.getValue()));
      req.response().putHeader("Content-Type", "application/json").end(new JsonObject()
          .put("method", req.method().name()).put("uri", req.uri()).put("headers", headers)
          .put("body", body.toString()).encodePrettily());
    })).listen(port, "127.0.0.1");
  }
}
