package io.tollgate.tokenservice;

import io.tollgate.grants.GrantResult;
import io.tollgate.oauth.OAuthResponses;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** The token endpoint's answer, RFC 6749 §5.1, or the portal's password-change signal. */
final class TokenResponses {
  private TokenResponses() {}

  static void tokens(RoutingContext ctx, GrantResult result) {
    if (result instanceof GrantResult.PasswordChangeRequired p) {
      OAuthResponses.json(ctx, 200, new JsonObject().put("userid", p.userId()).put("RequireChangePassword", true));
      return;
    }
    GrantResult.Tokens t = (GrantResult.Tokens) result;
    JsonObject body = new JsonObject().put("access_token", t.accessToken()).put("token_type", "Bearer")
        .put("expires_in", t.expiresIn());
    if (t.refreshToken() != null) {
      body.put("refresh_token", t.refreshToken());
    }
    OAuthResponses.json(ctx, 200, body.put("scope", t.scope()));
  }
}
