package io.tollgate.authorize;

import io.tollgate.accounts.Accounts;
import io.tollgate.config.TollgateConfig;
import io.tollgate.storage.Storage;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * The browser side of the authorization-code flow (RFC 6749 §4.1; README, "Browser flow"): the
 * authorization endpoint, its login and change-password forms, wired once and shared by every event loop.
 */
public record Authorize(
    Handler<RoutingContext> authorize,
    Handler<RoutingContext> login,
    Handler<RoutingContext> changePassword) {

  /** The change-password form posts to the authorization path plus this. */
  public static final String PASSWORD_STEP = "/password";

  /**
   * {@code path}: the first {@code endpoints.authorization} path, where the forms post; {@code codeTtl} in
   * seconds; {@code accounts}: the same Accounts the token service uses, so login and lockout exist once.
   */
  public static Authorize create(String path, TollgateConfig.Security security, int codeTtl, Storage storage,
      Accounts accounts) {
    AuthorizationRequests requests = new AuthorizationRequests(storage.clients());
    BrowserSessions sessions = new BrowserSessions(storage.sessions(), security.sessionTtl());
    FormPages pages = new FormPages(sessions, path, path + PASSWORD_STEP, security.minPasswordLength());
    CodeResponse codes = new CodeResponse(storage.codes(), storage.users(), sessions, codeTtl);
    return new Authorize(
        new AuthorizationEndpoint(requests, sessions, pages, codes),
        new LoginForm(requests, accounts.login(), pages, codes),
        new ChangePasswordForm(requests, storage.users(), accounts.passwordChange(), pages, codes));
  }

  /** The failure handler of the form routes (a body over the limit, an unreadable one): an HTML page. */
  public static void routeFailure(RoutingContext ctx) {
    BrowserResponses.routeFailure(ctx);
  }

  /** The rate limit's answer to a login or change-password form. */
  public static void tooManyRequests(RoutingContext ctx, long retryAfterSeconds) {
    BrowserResponses.page(ctx, 429, Pages.problem("Too many attempts",
        "Please wait " + retryAfterSeconds + " seconds and try again."), null);
  }

  /** Any other method on an authorization path. */
  public static void methodNotAllowed(RoutingContext ctx) {
    ctx.response().putHeader("Allow", "GET, POST");
    BrowserResponses.page(ctx, 405, Pages.problem("This request cannot be answered",
        "Open this page with GET, or submit its form."), null);
  }
}
