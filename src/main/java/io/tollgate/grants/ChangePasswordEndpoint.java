package io.tollgate.grants;

import io.tollgate.crypto.PasswordHasher;
import io.tollgate.oauth.Form;
import io.tollgate.oauth.OAuthError;
import io.tollgate.oauth.OAuthException;
import io.tollgate.oauth.User;
import io.tollgate.storage.LoginAttempts;
import io.tollgate.storage.UserStore;
import io.tollgate.config.TollgateConfig;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Profix's {@code POST /token/ChangePassword}: {@code {"success": true, "message": "You can now login"}},
 * or {@code {"success": false, "message": ...}} with a sentence a user can act on.
 */
public final class ChangePasswordEndpoint implements Handler<RoutingContext> {
  private static final String WRONG_CREDENTIALS = "The user id or current password is incorrect.";

  private final ClientAuthenticator authenticator;
  private final UserStore users;
  private final LoginAttempts attempts;
  private final PasswordHasher hasher;
  private final TollgateConfig.Security security;

  ChangePasswordEndpoint(ClientAuthenticator authenticator, UserStore users, LoginAttempts attempts,
      PasswordHasher hasher, TollgateConfig.Security security) {
    this.authenticator = authenticator;
    this.users = users;
    this.attempts = attempts;
    this.hasher = hasher;
    this.security = security;
  }

  @Override
  public void handle(RoutingContext ctx) {
    Form form;
    ClientAuthenticator.Credentials credentials;
    try {
      form = TokenEndpoint.formBody(ctx);
      credentials = authenticator.credentials(ctx, form);
      form.require("userid");
      form.require("password");
      form.require("newpassword");
    } catch (OAuthException e) {
      fail(ctx, 400, e.error() == OAuthError.INVALID_CLIENT
          ? "The application could not be authenticated." : "The request is incomplete or malformed: " + e.description());
      return;
    }
    String oldPassword = form.get("password");
    String newPassword = form.get("newpassword");
    if (newPassword.length() < security.minPasswordLength()) {
      fail(ctx, 400, "The new password must be at least " + security.minPasswordLength() + " characters long.");
      return;
    }
    if (newPassword.equals(oldPassword)) {
      fail(ctx, 400, "The new password must differ from the current password.");
      return;
    }
    authenticator.authenticate(credentials)
        .recover(err -> Future.failedFuture(new Refusal(401, "The application could not be authenticated.")))
        .compose(client -> users.findById(form.get("userid")))
        .compose(user -> checkOldPassword(user, oldPassword))
        .compose(user -> hasher.hash(newPassword).compose(hash -> users.changePassword(user.id(), hash)))
        .onSuccess(done -> ctx.response().setStatusCode(200).putHeader("Content-Type", "application/json")
            .putHeader("Cache-Control", "no-store")
            .end(new JsonObject().put("success", true).put("message", "You can now login").encode()))
        .onFailure(err -> {
          if (err instanceof Refusal refusal) {
            fail(ctx, refusal.status, refusal.getMessage());
          } else {
            OAuthException oauth = OAuthResponses.asOAuth(err);
            fail(ctx, oauth.error().status(), "The password could not be changed right now; please try again later.");
          }
        });
  }

  private Future<User> checkOldPassword(User user, String oldPassword) {
    String username = user == null ? null : user.username();
    Future<Boolean> locked = username == null ? Future.succeededFuture(false) : attempts.isLocked(username);
    return locked.compose(isLocked -> {
      if (isLocked) {
        return Future.failedFuture(new Refusal(400, "Too many failed attempts; please try again later."));
      }
      return hasher.verify(user == null ? null : user.passwordHash(), oldPassword).compose(ok -> {
        if (ok && user != null) {
          return attempts.clear(username).map(user);
        }
        Future<Void> counted = username == null ? Future.succeededFuture()
            : attempts.recordFailure(username, security.login().maxFailures(), security.login().lockSeconds());
        return counted.compose(c -> Future.failedFuture(new Refusal(400, WRONG_CREDENTIALS)));
      });
    });
  }

  private static void fail(RoutingContext ctx, int status, String message) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-store")
        .end(new JsonObject().put("success", false).put("message", message).encode());
  }

  /** A failure with the sentence the user sees. */
  private static final class Refusal extends RuntimeException {
    private final int status;

    Refusal(int status, String message) {
      super(message, null, false, false);
      this.status = status;
    }
  }
}
