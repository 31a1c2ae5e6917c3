package io.tollgate.admin;

import io.tollgate.crypto.PasswordHasher;
import io.tollgate.oauth.OAuthError;
import io.tollgate.storage.Storage;
import io.tollgate.tokens.TokenAcceptor;
import io.vertx.ext.web.RoutingContext;
import java.util.regex.Pattern;

/**
 * The admin API under {@code /admin/} (README, "Admin API"): clients, users and roles as JSON, for
 * tokens with the {@code admin} scope. Everything is read from and written to the database per request and
 * revocations go out by NOTIFY, so a change takes effect on every instance without a restart.
 */
public record AdminApi(AdminAuth auth, ClientsResource clients, UsersResource users, RolesResource roles) {
  private static final Pattern COLLECTION = Pattern.compile("/admin/(clients|users|roles)/?");
  private static final Pattern ITEM = Pattern.compile("/admin/(clients|users|roles)/[^/]+");
  private static final Pattern ACTION = Pattern.compile("/admin/(clients/[^/]+/(secret|revoke)|users/[^/]+/(password|revoke)|reload)");

  public static AdminApi create(Storage storage, PasswordHasher hasher, TokenAcceptor acceptor,
      int minPasswordLength) {
    return new AdminApi(new AdminAuth(acceptor),
        new ClientsResource(storage.clients(), hasher),
        new UsersResource(storage.users(), storage.roles(), hasher, minPasswordLength),
        new RolesResource(storage.roles()));
  }

  /** Whatever no admin route took: a known path with another method is 405, anything else 404; never the gateway. */
  public static void unmatched(RoutingContext ctx) {
    String path = ctx.request().path();
    String allow = COLLECTION.matcher(path).matches() ? "GET, POST"
        : ACTION.matcher(path).matches() ? "POST"
        : ITEM.matcher(path).matches() ? "GET, PUT, DELETE" : null;
    if (allow == null) {
      AdminResponses.error(ctx, OAuthError.NOT_FOUND.because("no admin endpoint at this path"));
      return;
    }
    ctx.response().putHeader("Allow", allow);
    AdminResponses.error(ctx, OAuthError.METHOD_NOT_ALLOWED.because("use " + allow));
  }

  /** The failure handler of every admin route (a body over the limit is 413 in our format). */
  public static void failure(RoutingContext ctx) {
    AdminResponses.routeFailure(ctx);
  }
}
