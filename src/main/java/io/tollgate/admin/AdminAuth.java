package io.tollgate.admin;

import io.tollgate.http.RequestFacts;
import io.tollgate.oauth.OAuthError;
import io.tollgate.tokens.InvalidTokenException;
import io.tollgate.tokens.Principal;
import io.tollgate.tokens.TokenAcceptor;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * README "Admin API": the admin API accepts only access tokens carrying the {@code admin} scope. The
 * token is accepted by the same {@link TokenAcceptor} as the gateway's (signature, typ, exp, iss, aud,
 * claim types, then the in-memory revocation list that every instance keeps current through NOTIFY).
 * Header only (RFC 6750 §2.1): a token in the query would end up in proxies' and browsers' logs.
 */
public final class AdminAuth implements Handler<RoutingContext> {
  static final String SCOPE = "admin";
  private static final String CHALLENGE = "Bearer realm=\"tollgate\"";
  private static final String INVALID = CHALLENGE + ", error=\"invalid_token\"";
  private static final String PRINCIPAL = "tollgate.admin";

  private final TokenAcceptor acceptor;

  AdminAuth(TokenAcceptor acceptor) {
    this.acceptor = acceptor;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String jwt = TokenAcceptor.fromHeader(ctx.request().getHeader("Authorization"));
    if (jwt == null || jwt.isEmpty()) {
      // RFC 6750 §3.1: no credentials, so no error code in the challenge
      refuse(ctx, CHALLENGE, OAuthError.INVALID_TOKEN, "a Bearer token with the admin scope is required");
      return;
    }
    Principal token;
    try {
      token = acceptor.accept(jwt);
    } catch (InvalidTokenException e) {
      refuse(ctx, INVALID, OAuthError.INVALID_TOKEN, e.getMessage());
      return;
    }
    RequestFacts facts = ctx.get(RequestFacts.KEY);
    if (facts != null) {
      facts.clientId(token.clientId());
    }
    if (!token.hasScope(SCOPE)) {
      // RFC 6750 §3.1: the scope needed goes into the challenge
      refuse(ctx, CHALLENGE + ", error=\"insufficient_scope\", scope=\"" + SCOPE + "\"",
          OAuthError.INSUFFICIENT_SCOPE, "the admin API needs scope " + SCOPE);
      return;
    }
    ctx.put(PRINCIPAL, token.subject());
    ctx.next();
  }

  /** Who is acting, for the audit breadcrumbs: the token's subject (a user id, or the client id). */
  static String actor(RoutingContext ctx) {
    return ctx.get(PRINCIPAL);
  }

  private static void refuse(RoutingContext ctx, String challenge, OAuthError error, String description) {
    ctx.response().putHeader("WWW-Authenticate", challenge);
    AdminResponses.error(ctx, error.because(description));
  }
}
