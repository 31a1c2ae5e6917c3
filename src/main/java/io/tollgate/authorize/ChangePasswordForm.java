package io.tollgate.authorize;

import io.tollgate.accounts.PasswordChange;
import io.tollgate.oauth.Form;
import io.tollgate.oauth.User;
import io.tollgate.storage.UserStore;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /Authorization/password}: a user who must change the password does so here, under the
 * rules of {@code /token/ChangePassword} ({@link PasswordChange}: the current password is proved
 * again under the lockout), and is then signed in.
 */
final class ChangePasswordForm implements Handler<RoutingContext> {
  private final AuthorizationRequests requests;
  private final UserStore users;
  private final PasswordChange passwordChange;
  private final FormPages pages;
  private final CodeResponse codes;

  ChangePasswordForm(AuthorizationRequests requests, UserStore users, PasswordChange passwordChange, FormPages pages,
      CodeResponse codes) {
    this.requests = requests;
    this.users = users;
    this.passwordChange = passwordChange;
    this.pages = pages;
    this.codes = codes;
  }

  @Override
  public void handle(RoutingContext ctx) {
    FormBody.submit(ctx, requests, pages, (request, form) -> step(ctx, request, form));
  }

  private Future<Void> step(RoutingContext ctx, AuthorizationRequest request, Form form) {
    String username = form.get("username");
    String current = form.get("password");
    String next = form.get("newpassword");
    if (username == null || current == null || next == null) {
      return refuse(ctx, request, username, "Please fill in every field.");
    }
    if (!next.equals(form.get("repeatpassword"))) {
      return refuse(ctx, request, username, "The two new passwords differ.");
    }
    return users.findByUsername(username)
        .compose(user -> passwordChange.change(user, current, next).map(user))
        .recover(failure -> failure instanceof PasswordChange.Refused refused
            ? refuse(ctx, request, username, refused.getMessage()).map((User) null)
            : Future.failedFuture(failure))
        .compose(user -> user == null ? Future.succeededFuture() : codes.afterLogin(ctx, request, user));
  }

  private Future<Void> refuse(RoutingContext ctx, AuthorizationRequest request, String username, String sentence) {
    pages.changePassword(ctx, request, 400, sentence, username);
    return Future.succeededFuture();
  }
}
