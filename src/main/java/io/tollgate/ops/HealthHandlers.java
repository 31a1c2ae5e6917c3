package io.tollgate.ops;

import io.tollgate.storage.Database;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** {@code /health}: the process answers; {@code /ready}: and its database is migrated and reachable. */
public final class HealthHandlers {
  private static final String UP = new JsonObject().put("status", "UP").encode();

  private HealthHandlers() {}

  public static Handler<RoutingContext> health() {
    return ctx -> ctx.response().putHeader("Content-Type", "application/json").end(UP);
  }

  public static Handler<RoutingContext> ready(Database database) {
    return ctx -> database.ready().onComplete(result -> {
      if (result.succeeded()) {
        ctx.response().putHeader("Content-Type", "application/json").end(UP);
      } else {
        ctx.response().setStatusCode(503).putHeader("Content-Type", "application/json")
            .end(new JsonObject().put("status", "DOWN").put("reason", "database unavailable").encode());
      }
    });
  }
}
