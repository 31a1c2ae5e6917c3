package io.tollgate;

import io.tollgate.admin.AdminApi;
import io.tollgate.config.TollgateConfig;
import io.tollgate.gateway.Gateway;
import io.tollgate.gateway.RouteTable;
import io.tollgate.gateway.VerifiedTokens;
import io.tollgate.grants.Discovery;
import io.tollgate.grants.OAuthResponses;
import io.tollgate.grants.TokenService;
import io.tollgate.oauth.OAuthError;
import io.tollgate.ops.AccessLog;
import io.tollgate.ops.HealthHandlers;
import io.tollgate.storage.Database;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.List;

/** The route table: every path Tollgate answers, in one place, each chain body → authn → action. */
final class Routes {
  private final TollgateConfig config;
  private final Database database;
  private final TokenService tokens;
  private final JsonObject jwks;
  private final VerifiedTokens verifiedTokens;
  private final RouteTable routeTable;
  private final AdminApi admin;

  Routes(TollgateConfig config, Database database, TokenService tokens, JsonObject jwks,
      VerifiedTokens verifiedTokens, RouteTable routeTable, AdminApi admin) {
    this.admin = admin;
    this.verifiedTokens = verifiedTokens;
    this.routeTable = routeTable;
    this.config = config;
    this.database = database;
    this.tokens = tokens;
    this.jwks = jwks;
  }

  Router router(Vertx vertx) {
    Router router = Router.router(vertx);
    TollgateConfig.Endpoints paths = config.endpoints();
    if (config.accessLog().enabled()) {
      router.route().handler(AccessLog.create(config.accessLog().json()));
    }

    // token service (CONTRACT §4): client authentication happens inside each endpoint
    post(router, paths.token(), tokens.token());
    post(router, paths.changePassword(), tokens.changePassword());
    post(router, paths.consumerLogin(), tokens.consumerLogin());
    post(router, paths.revoke(), tokens.revoke());
    post(router, paths.introspect(), tokens.introspect());

    // discovery (RFC 8414) and keys
    router.get("/.well-known/oauth-authorization-server").handler(Discovery.metadata(config));
    router.get("/.well-known/jwks.json").handler(Discovery.jwks(jwks));

    // operations
    router.get("/health").handler(HealthHandlers.health());
    router.get("/ready").handler(HealthHandlers.ready(database));

    // admin API (CONTRACT §3): bounded body → Bearer token with the admin scope → resource; JSON in and out
    router.route("/admin/*")
        .handler(BodyHandler.create(false).setBodyLimit(config.http().bodyLimit()))
        .handler(admin.auth())
        .failureHandler(AdminApi::failure);
    router.get("/admin/clients").handler(admin.clients()::list);
    router.post("/admin/clients").handler(admin.clients()::create);
    router.get("/admin/clients/:id").handler(admin.clients()::read);
    router.put("/admin/clients/:id").handler(admin.clients()::update);
    router.delete("/admin/clients/:id").handler(admin.clients()::delete);
    router.post("/admin/clients/:id/secret").handler(admin.clients()::rotateSecret);
    router.post("/admin/clients/:id/revoke").handler(admin.clients()::revokeTokens);
    router.get("/admin/users").handler(admin.users()::list);
    router.post("/admin/users").handler(admin.users()::create);
    router.get("/admin/users/:id").handler(admin.users()::read);
    router.put("/admin/users/:id").handler(admin.users()::update);
    router.delete("/admin/users/:id").handler(admin.users()::delete);
    router.post("/admin/users/:id/password").handler(admin.users()::resetPassword);
    router.post("/admin/users/:id/revoke").handler(admin.users()::revokeTokens);
    router.get("/admin/roles").handler(admin.roles()::list);
    router.post("/admin/roles").handler(admin.roles()::create);
    router.get("/admin/roles/:name").handler(admin.roles()::read);
    router.put("/admin/roles/:name").handler(admin.roles()::update);
    router.delete("/admin/roles/:name").handler(admin.roles()::delete);
    router.route("/admin/*").handler(AdminApi::unmatched);

    // everything else: the edge gateway (route → bearer token → verification → scopes → proxy)
    router.route().handler(Gateway.create(vertx, routeTable, verifiedTokens));

    return router;
  }

  private void post(Router router, List<String> paths, Handler<RoutingContext> endpoint) {
    for (String path : paths) {
      router.post(path)
          .handler(BodyHandler.create(false).setBodyLimit(config.http().bodyLimit()))
          .handler(endpoint)
          .failureHandler(OAuthResponses::routeFailure);
      router.route(path).handler(ctx -> {
        ctx.response().putHeader("Allow", "POST");
        OAuthResponses.json(ctx, 405, new JsonObject().put("error", OAuthError.INVALID_REQUEST.code())
            .put("error_description", "use POST"));
      });
    }
  }
}
