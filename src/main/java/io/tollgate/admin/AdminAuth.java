package io.tollgate.admin;

import io.tollgate.oauth.OAuthError;
import io.tollgate.oauth.RequestFacts;
import io.tollgate.tokens.AccessToken;
import io.tollgate.tokens.AccessTokenVerifier;
import io.tollgate.tokens.InvalidTokenException;
import io.tollgate.tokens.RevocationList;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.Arrays;

/**
 * RFC 6750 §3.1 and README "Admin API": the admin API accepts only access tokens carrying the
 * {@code admin} scope. The token is verified locally exactly as the gateway verifies it (signature,
 * typ, exp, iss, aud) and checked against the in-memory revocation list that every instance keeps
 * current through NOTIFY. Header only (RFC 6750 §2.1): a token in the query would end up in proxies'
 * and browsers' logs.
 */
public final class AdminAuth implements Handler<RoutingContext> {
  static final String SCOPE = "admin";
  private static final String CHALLENGE = "Bearer realm=\"tollgate\"";
  private static final String INVALID = CHALLENGE + ", error=\"invalid_token\"";
  private static final String PRINCIPAL = "tollgate.admin";

  private final AccessTokenVerifier verifier;
  private final RevocationList revocations;

  AdminAuth(AccessTokenVerifier verifier, RevocationList revocations) {
    this.verifier = verifier;
    this.revocations = revocations;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.substring(7).isBlank()) {
      // RFC 6750 §3.1: no credentials, so no error code in the challenge
      refuse(ctx, CHALLENGE, OAuthError.INVALID_TOKEN, "a Bearer token with the admin scope is required");
      return;
    }
    AccessToken token;
    try {
      token = verifier.verify(header.substring(7).trim());
    } catch (InvalidTokenException e) {
      refuse(ctx, INVALID, OAuthError.INVALID_TOKEN, e.getMessage());
      return;
    }
    if (revocations.isRevoked(token)) {
      refuse(ctx, INVALID, OAuthError.INVALID_TOKEN, "the token was revoked");
      return;
    }
    RequestFacts facts = ctx.get(RequestFacts.KEY);
    if (facts != null) {
      facts.clientId(token.clientId());
    }
    if (!hasAdminScope(token)) {
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

  private static boolean hasAdminScope(AccessToken token) {
    return token.scope() != null && Arrays.asList(token.scope().split(" ")).contains(SCOPE);
  }
}
