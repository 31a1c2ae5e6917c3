package io.tollgate.gateway;

import io.tollgate.oauth.RequestFacts;
import io.tollgate.tokens.AccessToken;
import io.tollgate.tokens.InvalidTokenException;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** The edge gateway (CONTRACT §6): route → bearer token → verification → scopes → proxy. */
final class Gateway implements Handler<RoutingContext> {
  private static final String REALM = "Bearer realm=\"tollgate\"";

  private final RouteTable routes;
  private final VerifiedTokens tokens;
  private final Forwarder forwarder;
  private final GatewayMetrics metrics;

  private Gateway(RouteTable routes, VerifiedTokens tokens, Forwarder forwarder, GatewayMetrics metrics) {
    this.routes = routes;
    this.tokens = tokens;
    this.forwarder = forwarder;
    this.metrics = metrics;
  }

  /** One gateway per event loop, with its own pooled keep-alive connections to the backends. */
  static Gateway create(Vertx vertx, RouteTable routes, VerifiedTokens tokens, GatewayMetrics metrics) {
    HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setConnectTimeout(5_000),
        new PoolOptions().setHttp1MaxSize(64));
    return new Gateway(routes, tokens, new Forwarder(client, metrics), metrics);
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    if (!singleFraming(request)) {
      answer(ctx, 400, null, "invalid_request", "unsupported Transfer-Encoding");
      return;
    }
    GatewayRoute route = routes.match(request.authority() == null ? request.getHeader("Host")
        : request.authority().host(), request.path());
    if (route == null) {
      answer(ctx, 404, null, "not_found", "no route for this host and path");
      return;
    }
    ctx.put(RequestFacts.ROUTE, route.config.path());
    Caller caller = null;
    if (!route.config.isPublic()) {
      String jwt;
      try {
        jwt = BearerToken.extract(request);
      } catch (BearerToken.Ambiguous e) {
        answer(ctx, 400, REALM + ", error=\"invalid_request\"", "invalid_request", "send the token once");
        return;
      }
      if (jwt == null) {
        metrics.missing();
        answer(ctx, 401, REALM, "invalid_token", "a Bearer token is required");
        return;
      }
      try {
        caller = tokens.verify(jwt);
      } catch (InvalidTokenException e) {
        metrics.invalid(e.reason());
        answer(ctx, 401, REALM + ", error=\"invalid_token\"", "invalid_token", e.getMessage());
        return;
      }
      ctx.put(RequestFacts.CLIENT_ID, caller.token().clientId());
      if (!caller.scopes().containsAll(route.scopes)) {
        metrics.insufficientScope();
        String needed = String.join(" ", route.config.scopes());
        answer(ctx, 403, REALM + ", error=\"insufficient_scope\", scope=\"" + needed + "\"", "insufficient_scope",
            "this API needs scope " + needed);
        return;
      }
    }
    forwardHeaders(request, caller == null ? null : caller.token());
    forwarder.forward(ctx, route);
  }

  /**
   * RFC 9112 §6.1: only {@code chunked} is a framing we pass on; anything else in
   * Transfer-Encoding could be read differently by the backend (request smuggling).
   */
  static boolean singleFraming(HttpServerRequest request) {
    if (request.getHeader("Transfer-Encoding") == null) {
      return true;
    }
    for (String coding : request.headers().getAll("Transfer-Encoding")) {
      if (!"chunked".equalsIgnoreCase(coding.trim())) {
        return false;
      }
    }
    return true;
  }

  /** The caller's own X-Auth-* are dropped first: only Tollgate speaks for the caller's identity. */
  private static void forwardHeaders(HttpServerRequest request, AccessToken token) {
    MultiMap headers = request.headers();
    headers.remove("X-Auth-Subject").remove("X-Auth-Client-Id").remove("X-Auth-Scope");
    if (token != null) {
      headers.set("X-Auth-Subject", token.subject());
      headers.set("X-Auth-Client-Id", token.clientId());
      headers.set("X-Auth-Scope", token.scope() == null ? "" : token.scope());
    }
    headers.set("X-Forwarded-For", request.remoteAddress() == null ? "" : request.remoteAddress().hostAddress());
    headers.set("X-Forwarded-Proto", request.isSSL() ? "https" : "http");
    if (request.getHeader("Host") != null) {
      headers.set("X-Forwarded-Host", request.getHeader("Host"));
    }
  }

  private static void answer(RoutingContext ctx, int status, String challenge, String error, String description) {
    if (challenge != null) {
      ctx.response().putHeader("WWW-Authenticate", challenge);
    }
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("error", error).put("error_description", description).encode());
  }
}
