package io.tollgate.gateway;

import io.tollgate.cors.CorsPolicy;
import io.tollgate.http.RequestFacts;
import io.tollgate.http.RequestTarget;
import io.tollgate.oauth.OAuthError;
import io.tollgate.tokens.InvalidTokenException;
import io.tollgate.tokens.Principal;
import io.tollgate.oauth.OAuthResponses;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * The edge gateway (README, "The gateway with curl"): route → bearer token → verification → scopes → proxy. It takes the
 * request straight from the HTTP server, not through the vertx-web router (bench/PROFILE.md).
 */
final class Gateway {
  private static final String REALM = "Bearer realm=\"tollgate\"";

  private final RouteTable routes;
  private final VerifiedTokens tokens;
  private final Proxy forwarder;
  private final GatewayMetrics metrics;

  Gateway(RouteTable routes, VerifiedTokens tokens, Proxy forwarder, GatewayMetrics metrics) {
    this.routes = routes;
    this.tokens = tokens;
    this.forwarder = forwarder;
    this.metrics = metrics;
  }

  /** {@code target} is the canonical origin-form target (RequestTarget): routed, checked and forwarded as is. */
  void handle(HttpServerRequest request, String target, RequestFacts facts) {
    try {
      route(request, target, facts);
    } catch (RuntimeException unexpected) {
      LastResort.answer(request, unexpected);
    }
  }

  private void route(HttpServerRequest request, String target, RequestFacts facts) {
    if (!singleFraming(request)) {
      answer(request, 400, null, "invalid_request", "unsupported Transfer-Encoding");
      return;
    }
    if (!FieldSyntax.valid(request)) {
      answer(request, 400, null, "invalid_request", "malformed header field");
      return;
    }
    String host = request.authority() == null ? null : request.authority().host();
    GatewayRoute route = routes.match(host, target);
    if (route == null) {
      answer(request, 404, null, "not_found", "no route for this host and path");
      return;
    }
    if (readsAsAnotherRoute(host, target, route)) {
      answer(request, 400, null, "invalid_request",
          "the path names another route once its ;parameters and empty segments are dropped");
      return;
    }
    facts.route(route.config.path());
    if (route.cors != null && answeredAsPreflight(request, route.cors)) {
      return;
    }
    Principal caller = null;
    if (!route.config.isPublic()) {
      caller = authenticate(request, facts);
      if (caller == null) {
        return;
      }
      if (!caller.hasScopes(route.scopes)) {
        metrics.insufficientScope();
        answer(request, 403, REALM + ", error=\"insufficient_scope\", scope=\"" + route.scopeList + "\"",
            "insufficient_scope", "this API needs scope " + route.scopeList);
        return;
      }
    }
    forwarder.forward(request, target, route, caller == null ? null : caller.token(), facts);
  }

  /**
   * {@code /v1/public/admin;x/users} matches a public {@code /v1/public/} route here, but a Tomcat
   * or Spring backend serves it as {@code /v1/public/admin/users}: a private route of the same
   * backend would be bypassed. Such a target is refused when the two readings pick different routes.
   */
  private boolean readsAsAnotherRoute(String host, String target, GatewayRoute route) {
    String servletPath = RequestTarget.withoutParameters(target);
    return servletPath != null && routes.match(host, servletPath) != route;
  }

  /**
   * README "Browsers (CORS)": a preflight (Fetch §3.2.2) carries no token by design, so the gateway answers it
   * itself and never forwards it: 204 with the route's Access-Control-Allow-* for an allowed origin,
   * method and headers, else 403 without any. Any other request on the route gets Vary: Origin, and
   * Allow-Origin when its origin is allowed, on whatever answer follows: the proxied one, and the
   * gateway's own 401/403/502/504, which a page must be able to read (an expired token: refresh it).
   */
  private static boolean answeredAsPreflight(HttpServerRequest request, CorsPolicy cors) {
    if (!CorsPolicy.isPreflight(request)) {
      cors.actual(request);
      return false;
    }
    String refusal = cors.refusal(request);
    if (refusal == null) {
      cors.answerPreflight(request);
    } else {
      request.response().putHeader("Vary", "Origin");
      answer(request, 403, null, OAuthError.ACCESS_DENIED.code(), refusal);
    }
    return true;
  }

  /** The verified caller, or null when the request has been answered (400/401). */
  private Principal authenticate(HttpServerRequest request, RequestFacts facts) {
    String jwt;
    try {
      jwt = BearerToken.extract(request);
    } catch (BearerToken.Ambiguous e) {
      answer(request, 400, REALM + ", error=\"invalid_request\"", "invalid_request", "send the token once");
      return null;
    }
    if (jwt == null) {
      metrics.missing();
      answer(request, 401, REALM, "invalid_token", "a Bearer token is required");
      return null;
    }
    try {
      Principal caller = tokens.accept(jwt);
      facts.clientId(caller.clientId());
      return caller;
    } catch (InvalidTokenException e) {
      metrics.invalid(e.reason());
      answer(request, 401, REALM + ", error=\"invalid_token\"", "invalid_token", e.getMessage());
      return null;
    }
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

  private static void answer(HttpServerRequest request, int status, String challenge, String error,
      String description) {
    if (challenge != null) {
      request.response().putHeader("WWW-Authenticate", challenge);
    }
    HttpServerResponse response = request.response();
    response.setStatusCode(status).putHeader("Content-Type", "application/json")
        .end(OAuthResponses.errorBody(response, error, description).encode());
  }
}
