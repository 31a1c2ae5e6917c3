package io.tollgate.authorize;

import io.tollgate.oauth.User;
import io.tollgate.storage.Sessions;
import io.tollgate.tokens.OpaqueTokens;
import io.vertx.core.Future;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.regex.Pattern;

/**
 * The login session cookie and the CSRF cookie of the login forms. Both are random 256-bit values;
 * the session is kept in the database by hash, so that any instance knows it. Cookies are HttpOnly
 * and SameSite=Lax; over TLS they are Secure and use the {@code __Host-} prefix, which a sibling
 * subdomain cannot set (no session fixation through a neighbour).
 */
final class BrowserSessions {
  private static final String SESSION = "tollgate_session";
  private static final String CSRF = "tollgate_csrf";
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{43}");

  private final Sessions sessions;
  private final int ttlSeconds;

  BrowserSessions(Sessions sessions, int ttlSeconds) {
    this.sessions = sessions;
    this.ttlSeconds = ttlSeconds;
  }

  /** The logged-in user, or null. */
  Future<User> current(RoutingContext ctx) {
    String id = cookie(ctx, SESSION);
    return id == null ? Future.succeededFuture() : sessions.user(OpaqueTokens.sha256(id));
  }

  /** A new session for a user who just proved the password (a new id at every login: no fixation). */
  Future<Void> start(RoutingContext ctx, User user) {
    String id = OpaqueTokens.randomToken();
    return sessions.create(OpaqueTokens.sha256(id), user.id(), ttlSeconds)
        .onSuccess(created -> ctx.response().addCookie(cookie(ctx, SESSION, id).setMaxAge(ttlSeconds)));
  }

  /** The CSRF token for a form (double-submit: the cookie must come back with the same value). */
  String csrfToken(RoutingContext ctx) {
    String token = cookie(ctx, CSRF);
    if (token == null) {
      token = OpaqueTokens.randomToken();
      ctx.response().addCookie(cookie(ctx, CSRF, token));
    }
    return token;
  }

  /** True when the form's CSRF token equals the cookie the browser sent along. */
  boolean csrfMatches(RoutingContext ctx, String presented) {
    return OpaqueTokens.constantTimeEquals(cookie(ctx, CSRF), presented);
  }

  private static String cookie(RoutingContext ctx, String name) {
    Cookie cookie = ctx.request().getCookie(name(ctx.request(), name));
    return cookie != null && TOKEN.matcher(cookie.getValue()).matches() ? cookie.getValue() : null;
  }

  private static Cookie cookie(RoutingContext ctx, String name, String value) {
    return Cookie.cookie(name(ctx.request(), name), value).setPath("/").setHttpOnly(true)
        .setSameSite(CookieSameSite.LAX).setSecure(secure(ctx.request()));
  }

  private static String name(HttpServerRequest request, String name) {
    return secure(request) ? "__Host-" + name : name;
  }

  /**
   * Over TLS, here or at the load balancer in front. A forged {@code X-Forwarded-Proto} can only make
   * the forger's own cookies Secure, which a browser on plain HTTP then drops: nothing to gain.
   */
  private static boolean secure(HttpServerRequest request) {
    return request.isSSL() || "https".equalsIgnoreCase(request.getHeader("X-Forwarded-Proto"));
  }
}
