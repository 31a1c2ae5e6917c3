package io.tollgate.authorize;

import io.tollgate.accounts.UserLogin;
import io.tollgate.oauth.Form;
import io.tollgate.oauth.OAuthError;
import io.tollgate.oauth.OAuthException;
import io.tollgate.oauth.User;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /Authorization}: the login form. The password is checked like the password grant's
 * (same lockout, hashing off the event loop); every failure shows the same sentence, so that the
 * page tells nothing about which usernames exist.
 */
final class LoginForm implements Handler<RoutingContext> {
  static final String FAILED = "Sign-in failed. Check your username and password and try again. "
      + "After several failed attempts, sign-in is paused for a while.";
  static final String EXPIRED = "This form has expired. Please sign in again.";

  private final AuthorizationRequests requests;
  private final UserLogin login;
  private final FormPages pages;
  private final CodeResponse codes;

  LoginForm(AuthorizationRequests requests, UserLogin login, FormPages pages, CodeResponse codes) {
    this.requests = requests;
    this.login = login;
    this.pages = pages;
    this.codes = codes;
  }

  @Override
  public void handle(RoutingContext ctx) {
    FormBody.submit(ctx, requests, pages, (request, form) -> step(ctx, request, form));
  }

  private Future<Void> step(RoutingContext ctx, AuthorizationRequest request, Form form) {
    String username = form.get("username");
    if (form.has("cancel")) {
      return Future.failedFuture(AuthorizationError.redirect(request.redirectUri(), request.state(),
          OAuthError.ACCESS_DENIED.because("the user cancelled the sign-in")));
    }
    String password = form.get("password");
    if (username == null || password == null) {
      pages.login(ctx, request, 400, "Please enter your username and password.", username);
      return Future.succeededFuture();
    }
    return login.authenticate(username, password)
        .recover(failure -> failure instanceof OAuthException refused && refused.error() == OAuthError.INVALID_GRANT
            ? Future.succeededFuture(null) : Future.failedFuture(failure))
        .compose(user -> next(ctx, request, user, username));
  }

  private Future<Void> next(RoutingContext ctx, AuthorizationRequest request, User user, String username) {
    if (user == null) {
      pages.login(ctx, request, 400, FAILED, username);
      return Future.succeededFuture();
    }
    if (user.requirePasswordChange()) {
      pages.changePassword(ctx, request, 200, null, user.username());
      return Future.succeededFuture();
    }
    return codes.afterLogin(ctx, request, user);
  }
}
