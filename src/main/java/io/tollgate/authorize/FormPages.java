package io.tollgate.authorize;

import io.vertx.ext.web.RoutingContext;

/** Renders the two forms of the browser flow with a CSRF token and the request in hidden fields. */
final class FormPages {
  private final BrowserSessions sessions;
  private final String loginAction;
  private final String passwordAction;
  private final int minPasswordLength;

  FormPages(BrowserSessions sessions, String loginAction, String passwordAction, int minPasswordLength) {
    this.sessions = sessions;
    this.loginAction = loginAction;
    this.passwordAction = passwordAction;
    this.minPasswordLength = minPasswordLength;
  }

  void login(RoutingContext ctx, AuthorizationRequest request, int status, String error, String username) {
    Pages.Form form = new Pages.Form(request, loginAction, sessions.csrfToken(ctx), error);
    BrowserResponses.page(ctx, status, Pages.login(form, username), request.redirectUri());
  }

  boolean csrfMatches(RoutingContext ctx, String presented) {
    return sessions.csrfMatches(ctx, presented);
  }

  void changePassword(RoutingContext ctx, AuthorizationRequest request, int status, String error, String username) {
    Pages.Form form = new Pages.Form(request, passwordAction, sessions.csrfToken(ctx), error);
    BrowserResponses.page(ctx, status, Pages.changePassword(form, username, minPasswordLength), request.redirectUri());
  }
}
