package io.tollgate.tokenservice;

import io.tollgate.accounts.UserLogin;
import io.tollgate.grants.GrantResult;
import io.tollgate.grants.Grants;
import io.tollgate.oauth.MediaType;
import io.tollgate.oauth.OAuthError;
import io.tollgate.oauth.OAuthResponses;
import io.tollgate.storage.ClientStore;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * The API portal's {@code POST /consumer/login}: JSON {@code {"username","password"}} →
 * {@code {"token","expires_in","refresh_token"}}, i.e. the password grant for the portal client.
 */
public final class ConsumerLoginEndpoint implements Handler<RoutingContext> {
  private final UserLogin login;
  private final Grants grants;
  private final ClientStore clients;
  private final String portalClientId;

  ConsumerLoginEndpoint(UserLogin login, Grants grants, ClientStore clients, String portalClientId) {
    this.login = login;
    this.grants = grants;
    this.clients = clients;
    this.portalClientId = portalClientId;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String username;
    String password;
    try {
      if (!MediaType.is(ctx.request().getHeader("Content-Type"), MediaType.JSON)) {
        throw OAuthError.INVALID_REQUEST.because("the body must be application/json");
      }
      JsonObject body = ctx.body().asJsonObject();
      if (body == null || !(body.getValue("username") instanceof String u) || u.isEmpty()
          || !(body.getValue("password") instanceof String p) || p.isEmpty()) {
        throw OAuthError.INVALID_REQUEST.because("the body must be {\"username\": ..., \"password\": ...}");
      }
      username = u;
      password = p;
    } catch (DecodeException | ClassCastException e) {
      OAuthResponses.error(ctx, OAuthError.INVALID_REQUEST.because("the body is not valid JSON"));
      return;
    } catch (RuntimeException e) {
      OAuthResponses.error(ctx, e);
      return;
    }
    clients.find(portalClientId)
        .compose(client -> client == null
            ? Future.failedFuture(OAuthError.SERVER_ERROR.because("the portal client is not configured"))
            : login.authenticate(username, password).compose(user -> grants.issueForUser(client, user, null)))
        .onSuccess(result -> {
          if (result instanceof GrantResult.Tokens t) {
            JsonObject body = new JsonObject().put("token", t.accessToken()).put("expires_in", t.expiresIn());
            if (t.refreshToken() != null) {
              body.put("refresh_token", t.refreshToken());
            }
            OAuthResponses.json(ctx, 200, body);
          } else {
            TokenResponses.tokens(ctx, result);
          }
        })
        .onFailure(failure -> OAuthResponses.error(ctx, failure));
  }
}
