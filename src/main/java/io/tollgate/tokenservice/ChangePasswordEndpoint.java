package io.tollgate.tokenservice;

import io.tollgate.accounts.ClientAuthenticator;
import io.tollgate.accounts.PasswordChange;
import io.tollgate.oauth.Form;
import io.tollgate.oauth.OAuthError;
import io.tollgate.oauth.OAuthException;
import io.tollgate.oauth.OAuthResponses;
import io.tollgate.storage.UserStore;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Profix's {@code POST /token/ChangePassword}: {@code {"success": true, "message": "You can now login"}},
 * or {@code {"success": false, "message": ...}} with a sentence a user can act on. The rules are
 * {@link PasswordChange}'s.
 */
public final class ChangePasswordEndpoint implements Handler<RoutingContext> {
  private final ClientAuthenticator authenticator;
  private final UserStore users;
  private final PasswordChange passwordChange;

  ChangePasswordEndpoint(ClientAuthenticator authenticator, UserStore users, PasswordChange passwordChange) {
    this.authenticator = authenticator;
    this.users = users;
    this.passwordChange = passwordChange;
  }

  @Override
  public void handle(RoutingContext ctx) {
    Form form;
    ClientAuthenticator.Credentials credentials;
    try {
      form = Form.parseBody(ctx.request().getHeader("Content-Type"), ctx.body().buffer());
      credentials = authenticator.credentials(ctx, form);
      OAuthException missing = form.missing("userid", "password", "newpassword");
      if (missing != null) {
        throw missing;
      }
    } catch (OAuthException e) {
      fail(ctx, 400, e.error() == OAuthError.INVALID_CLIENT
          ? "The application could not be authenticated." : "The request is incomplete or malformed: " + e.description());
      return;
    }
    String oldPassword = form.get("password");
    String newPassword = form.get("newpassword");
    PasswordChange.Refused invalid = passwordChange.checkNewPassword(oldPassword, newPassword);
    if (invalid != null) {
      fail(ctx, invalid.status(), invalid.getMessage());
      return;
    }
    authenticator.authenticate(credentials)
        .recover(err -> Future.failedFuture(new Refusal(401, "The application could not be authenticated.")))
        .compose(client -> users.findById(form.get("userid")))
        .compose(user -> passwordChange.change(user, oldPassword, newPassword))
        .onSuccess(done -> ctx.response().setStatusCode(200).putHeader("Content-Type", "application/json")
            .putHeader("Cache-Control", "no-store")
            .end(new JsonObject().put("success", true).put("message", "You can now login").encode()))
        .onFailure(err -> {
          if (err instanceof Refusal refusal) {
            fail(ctx, refusal.status, refusal.getMessage());
          } else if (err instanceof PasswordChange.Refused refused) {
            fail(ctx, refused.status(), refused.getMessage());
          } else {
            OAuthException oauth = OAuthResponses.asOAuth(err);
            fail(ctx, oauth.error().status(), "The password could not be changed right now; please try again later.");
          }
        });
  }

  /** The rate limit's answer in this endpoint's own format. */
  public static void tooManyRequests(RoutingContext ctx, long retryAfterSeconds) {
    fail(ctx, 429, "Too many attempts. Please try again in " + retryAfterSeconds + " seconds.");
  }

  private static void fail(RoutingContext ctx, int status, String message) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-store")
        .end(new JsonObject().put("success", false).put("message", message)
            .put("request_id", ctx.response().headers().get(OAuthResponses.REQUEST_ID)).encode());
  }

  /** A failure of the client authentication, with the sentence the user sees. */
  private static final class Refusal extends RuntimeException {
    private final int status;

    Refusal(int status, String message) {
      super(message, null, false, false);
      this.status = status;
    }
  }
}
