package io.tollgate.authorize;

import io.tollgate.oauth.Form;
import io.tollgate.oauth.OAuthException;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /Authorization} (RFC 6749 §4.1.1): validate the request, then either answer at once
 * for a user with a live session, or show the login page.
 */
final class AuthorizationEndpoint implements Handler<RoutingContext> {
  private final AuthorizationRequests requests;
  private final BrowserSessions sessions;
  private final FormPages pages;
  private final CodeResponse codes;

  AuthorizationEndpoint(AuthorizationRequests requests, BrowserSessions sessions, FormPages pages, CodeResponse codes) {
    this.requests = requests;
    this.sessions = sessions;
    this.pages = pages;
    this.codes = codes;
  }

  @Override
  public void handle(RoutingContext ctx) {
    Form params;
    try {
      // RFC 6749 §3.1: a repeated parameter makes even client_id untrustworthy
      params = Form.parse(ctx.request().query(), "the query");
    } catch (OAuthException malformed) {
      BrowserResponses.error(ctx, AuthorizationError.untrusted("The request is malformed: " + malformed.description()));
      return;
    }
    requests.parse(params)
        .compose(request -> sessions.current(ctx)
            .compose(user -> {
              if (user == null || user.requirePasswordChange()) {
                pages.login(ctx, request, 200, null, null);
                return Future.<Void>succeededFuture();
              }
              return codes.send(ctx, request, user);
            })
            .recover(failure -> Future.failedFuture(AuthorizationError.of(request, failure))))
        .onFailure(failure -> BrowserResponses.error(ctx, failure));
  }
}
