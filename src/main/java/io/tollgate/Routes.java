package io.tollgate;

import io.tollgate.ops.HealthHandlers;
import io.tollgate.storage.Database;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;

/** The route table: every path Tollgate answers, in one place, each chain authn → authz → action. */
final class Routes {
  private final Database database;

  Routes(Database database) {
    this.database = database;
  }

  Router router(Vertx vertx) {
    Router router = Router.router(vertx);

    // operations
    router.get("/health").handler(HealthHandlers.health());
    router.get("/ready").handler(HealthHandlers.ready(database));

    return router;
  }
}
