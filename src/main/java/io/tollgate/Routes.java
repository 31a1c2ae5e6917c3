package io.tollgate;

import io.tollgate.admin.AdminApi;
import io.tollgate.authorize.Authorize;
import io.tollgate.config.TollgateConfig;
import io.tollgate.cors.CorsPolicy;
import io.tollgate.gateway.GatewayService;
import io.tollgate.http.RequestFacts;
import io.tollgate.http.RequestTarget;
import io.tollgate.http.RequestTimeout;
import io.tollgate.oauth.OAuthError;
import io.tollgate.oauth.OAuthResponses;
import io.tollgate.ops.AccessLog;
import io.tollgate.ops.HealthHandlers;
import io.tollgate.ops.Metrics;
import io.tollgate.ops.RateLimit;
import io.tollgate.ops.RequestTelemetry;
import io.tollgate.ops.Spans;
import io.tollgate.storage.Database;
import io.tollgate.tokenservice.ChangePasswordEndpoint;
import io.tollgate.tokenservice.Discovery;
import io.tollgate.tls.HttpsRedirect;
import io.tollgate.tokenservice.TokenService;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.List;
import java.util.function.BiConsumer;

/** The route table: every path Tollgate answers, in one place, each chain body → authn → action. */
final class Routes {
  private final TollgateConfig config;
  private final Database database;
  private final TokenService tokens;
  private final Authorize authorize;
  private final JsonObject jwks;
  private final GatewayService gateway;
  private final Metrics metrics;
  private final RateLimit rateLimit;
  private final AdminApi admin;
  private final RequestTelemetry telemetry;
  private final Reloader reloader;

  /** What {@code POST /admin/reload} runs: the whole reload, answered with its report. */
  @FunctionalInterface
  interface Reloader {
    Future<Reload.Outcome> reload();
  }

  /** {@code rateLimit} is null when rate limiting is off, {@code spans} when no spans are exported. */
  Routes(TollgateConfig config, Database database, TokenService tokens, Authorize authorize, JsonObject jwks,
      GatewayService gateway, AdminApi admin, Metrics metrics, RateLimit rateLimit, Reloader reloader,
      Spans spans) {
    this.reloader = reloader;
    this.admin = admin;
    this.rateLimit = rateLimit;
    this.telemetry = new RequestTelemetry(metrics.registry(),
        config.accessLog().enabled() ? AccessLog.create(config.accessLog().json()) : null, spans);
    this.gateway = gateway;
    this.metrics = metrics;
    this.config = config;
    this.database = database;
    this.tokens = tokens;
    this.authorize = authorize;
    this.jwks = jwks;
  }

  /**
   * One event loop's request handler for this configuration: the request-target is parsed once (a
   * non-canonical one is refused), the service paths go to the router, and everything else straight
   * to the gateway with the canonical target, which the router's per-request work would only slow
   * down (bench/PROFILE.md). It counts the gateway's requests in flight, so that a reload closes its
   * backend connections only when they have ended ({@link LiveHandler}).
   */
  Loop requestHandler(Vertx vertx) {
    return new Loop(router(vertx), gateway.handler(vertx));
  }

  /** One event loop's handler, and what it holds open; used and closed on that event loop only. */
  final class Loop implements Handler<HttpServerRequest>, AutoCloseable {
    private final Router router;
    private final ServicePaths services;
    private final GatewayService.Handler proxy;
    /** Proxied requests begun and not yet ended; only this event loop touches it. */
    private int inFlight;

    private Loop(Router router, GatewayService.Handler proxy) {
      this.router = router;
      this.services = new ServicePaths(router);
      this.proxy = proxy;
    }

    @Override
    public void handle(HttpServerRequest request) {
      String target = RequestTarget.canonical(request.uri(),
          request.version() == HttpVersion.HTTP_2 ? null : request.getHeader("Host"));
      if (target != null && services.contains(request.path())) {
        router.handle(request);
        return;
      }
      long start = System.nanoTime();
      RequestFacts facts = telemetry.begin(request);
      inFlight++;
      request.response().endHandler(ended -> {
        inFlight--;
        telemetry.ended(request, start, facts);
      });
      if (target != null) {
        proxy.handle(request, target, facts);
      } else {
        RequestTarget.refuse(request.response());
      }
    }

    int inFlight() {
      return inFlight;
    }

    /** The longest route timeout of this configuration, in milliseconds. */
    int longestTimeoutMillis() {
      return gateway.longestTimeoutMillis();
    }

    @Override
    public void close() {
      proxy.close();
    }
  }

  private Router router(Vertx vertx) {
    Router router = Router.router(vertx);
    TollgateConfig.Endpoints paths = config.endpoints();
    router.route().handler(telemetry);

    // token service (RFC 6749 §3.2, RFC 7009, RFC 7662; README "Try it with curl"):
    // body → rate limit → endpoint; client authentication inside each endpoint
    // token, revocation, introspection also answer browsers (README "Browsers (CORS)"): preflight → 204 or 403
    post(router, paths.token(), tokens.token(), OAuthResponses::tooManyRequests, tokens.cors());
    post(router, paths.changePassword(), tokens.changePassword(), ChangePasswordEndpoint::tooManyRequests, null);
    post(router, paths.consumerLogin(), tokens.consumerLogin(), OAuthResponses::tooManyRequests, null);
    post(router, paths.revoke(), tokens.revoke(), OAuthResponses::tooManyRequests, tokens.cors());
    post(router, paths.introspect(), tokens.introspect(), OAuthResponses::tooManyRequests, tokens.cors());

    // authorization endpoint (RFC 6749 §3.1; README "Browser flow"):
    // HTML pages and redirects for browsers, never JSON
    for (String path : paths.authorization()) {
      router.get(path).handler(authorize.authorize());
      form(router, path, authorize.login());
      form(router, path + Authorize.PASSWORD_STEP, authorize.changePassword());
    }

    // discovery (RFC 8414) and keys: public, readable by every origin (README "Browsers (CORS)")
    router.get("/.well-known/oauth-authorization-server").handler(Discovery.metadata(config));
    router.get("/.well-known/jwks.json").handler(Discovery.jwks(jwks));
    router.options("/.well-known/oauth-authorization-server").handler(Discovery.OPEN.preflights());
    router.options("/.well-known/jwks.json").handler(Discovery.OPEN.preflights());

    // operations (/metrics moves to the management listener when one is configured)
    operations(router);
    if (config.management() == null) {
      router.get("/metrics").handler(metrics.scrape());
    }

    // admin API (README "Admin API"): bounded body → Bearer token with the admin scope → resource; JSON in and out
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
    router.post("/admin/reload").handler(ctx -> reloader.reload()
        .onSuccess(outcome -> Reload.answer(ctx, outcome))
        .onFailure(ctx::fail));
    router.route("/admin/*").handler(AdminApi::unmatched);

    // a service path with a method or a tail no route takes (the gateway never sees these paths)
    router.route().handler(ctx -> OAuthResponses.error(ctx, OAuthError.NOT_FOUND.because("no such endpoint")));
    return router;
  }

  /** The management listener's routes: metrics and the probes, nothing public. */
  Router management(Vertx vertx) {
    Router router = Router.router(vertx);
    identified(router);
    operations(router);
    router.get("/metrics").handler(metrics.scrape());
    return router;
  }

  /** The plain listener of {@code http.redirectPort} (README, "TLS at the edge"): the probes, else 308 to https. */
  Router redirect(Vertx vertx, int httpsPort) {
    Router router = Router.router(vertx);
    identified(router);
    operations(router);
    router.route().handler(HttpsRedirect.to(httpsPort));
    return router;
  }

  /** A listener without telemetry still gives every answer its request id (README, "Request ids and tracing"). */
  private static void identified(Router router) {
    router.route().handler(ctx -> {
      RequestFacts.begin(ctx.request());
      ctx.next();
    });
  }

  private Handler<RoutingContext> timeout() {
    return new RequestTimeout(config.http().requestTimeout());
  }

  private Handler<RoutingContext> body() {
    return BodyHandler.create(false).setBodyLimit(config.http().bodyLimit());
  }

  private Route limited(Route route, BiConsumer<RoutingContext, Long> tooMany) {
    return rateLimit == null ? route : route.handler(rateLimit.handler(tooMany));
  }

  /** Whether an answer is readable depends on the Origin: every answer says so, for caches. */
  private static void varyOnOrigin(RoutingContext ctx) {
    CorsPolicy.varyOnOrigin(ctx.response());
    ctx.next();
  }

  private void operations(Router router) {
    router.get("/health").handler(HealthHandlers.health());
    router.get("/ready").handler(HealthHandlers.ready(database));
  }

  private void form(Router router, String path, Handler<RoutingContext> step) {
    limited(router.post(path).handler(timeout()).handler(body()), Authorize::tooManyRequests)
        .handler(step)
        .failureHandler(Authorize::routeFailure);
    router.route(path).handler(Authorize::methodNotAllowed);
  }

  /** {@code cors}: the endpoint's preflight policy, null when browsers are not served. */
  private void post(Router router, List<String> paths, Handler<RoutingContext> endpoint,
      BiConsumer<RoutingContext, Long> tooMany, CorsPolicy cors) {
    for (String path : paths) {
      Route post = router.post(path).handler(timeout()).handler(body());
      if (cors != null) {
        post.handler(Routes::varyOnOrigin);
        router.options(path).handler(cors.preflights());
      }
      limited(post, tooMany)
          .handler(endpoint)
          .failureHandler(OAuthResponses::routeFailure);
      router.route(path).handler(ctx -> {
        ctx.response().putHeader("Allow", "POST");
        OAuthResponses.error(ctx, OAuthError.METHOD_NOT_ALLOWED.because("use POST"));
      });
    }
  }
}
