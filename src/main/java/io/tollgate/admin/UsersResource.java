package io.tollgate.admin;

import static io.tollgate.admin.AdminResponses.attempt;
import static io.tollgate.admin.AdminResponses.expect;
import static io.tollgate.admin.AdminResponses.found;

import io.tollgate.crypto.PasswordHasher;
import io.tollgate.oauth.User;
import io.tollgate.storage.Change;
import io.tollgate.storage.RoleStore;
import io.tollgate.storage.UserStore;
import io.tollgate.tokens.OpaqueTokens;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /admin/users}. Passwords are hashed with argon2id on the hash workers and never shown again;
 * a reset sets {@code requirePasswordChange}, so the next password grant answers
 * {@code {"userid", "RequireChangePassword": true}}, and revokes every token of the user.
 */
public final class UsersResource {
  private static final Logger log = LoggerFactory.getLogger(UsersResource.class);

  private final UserStore users;
  private final RoleStore roles;
  private final PasswordHasher hasher;
  private final int minPasswordLength;

  UsersResource(UserStore users, RoleStore roles, PasswordHasher hasher, int minPasswordLength) {
    this.users = users;
    this.roles = roles;
    this.hasher = hasher;
    this.minPasswordLength = minPasswordLength;
  }

  public void list(RoutingContext ctx) {
    attempt(() -> Paging.of(ctx))
        .compose(paging -> users.list(paging.after(), paging.limit()))
        .onSuccess(page -> AdminResponses.ok(ctx, Paging.render(page, UsersResource::render)))
        .onFailure(failure -> AdminResponses.error(ctx, failure));
  }

  public void read(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    users.findById(id)
        .compose(user -> found(user, what(id)))
        .onSuccess(user -> AdminResponses.ok(ctx, render(user)))
        .onFailure(failure -> AdminResponses.error(ctx, failure));
  }

  public void create(RoutingContext ctx) {
    attempt(() -> UserInput.forCreate(JsonInput.of(ctx), minPasswordLength))
        .compose(input -> knownRoles(input.user().roles())
            .compose(ok -> hasher.hash(input.password()))
            .map(hash -> withHash(input.user(), hash)))
        .compose(user -> users.create(user)
            .compose(change -> expect(change, "user with id '" + Shown.safe(user.id()) + "' or username '"
                + Shown.safe(user.username()) + "'"))
            .map(done -> user))
        .onSuccess(user -> {
          log.info("admin {}: created user {}", AdminAuth.actor(ctx), user.id());
          AdminResponses.created(ctx, "/admin/users/" + user.id(), render(user));
        })
        .onFailure(failure -> AdminResponses.error(ctx, failure));
  }

  public void update(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    users.findById(id)
        .compose(existing -> found(existing, what(id)))
        .compose(existing -> attempt(() -> UserInput.forUpdate(JsonInput.of(ctx), id, existing.requirePasswordChange())))
        .compose(user -> knownRoles(user.roles())
            .compose(ok -> users.update(user))
            .compose(change -> expect(change, change == Change.CONFLICT
                ? "user with username '" + Shown.safe(user.username()) + "'" : what(id)))
            .map(done -> user))
        .onSuccess(user -> {
          log.info("admin {}: updated user {}", AdminAuth.actor(ctx), id);
          AdminResponses.ok(ctx, render(user));
        })
        .onFailure(failure -> AdminResponses.error(ctx, failure));
  }

  public void delete(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    users.delete(id)
        .compose(change -> expect(change, what(id)))
        .onSuccess(done -> {
          log.info("admin {}: deleted user {} and revoked their tokens", AdminAuth.actor(ctx), id);
          AdminResponses.noContent(ctx);
        })
        .onFailure(failure -> AdminResponses.error(ctx, failure));
  }

  /**
   * Sets a temporary password: the one in the body, or a generated one returned once. The user must
   * change it at the next login, the lockout is lifted, and every token of the user is revoked.
   */
  public void resetPassword(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    attempt(() -> ctx.body().length() <= 0 ? null : UserInput.forReset(JsonInput.of(ctx), minPasswordLength))
        .compose(chosen -> {
          String password = chosen != null ? chosen : OpaqueTokens.randomToken();
          return hasher.hash(password)
              .compose(hash -> users.resetPassword(id, hash))
              .compose(change -> expect(change, what(id)))
              .map(done -> {
                JsonObject answer = new JsonObject().put("id", id).put("requirePasswordChange", true);
                return chosen != null ? answer : answer.put("password", password);
              });
        })
        .onSuccess(answer -> {
          log.info("admin {}: reset the password of user {} and revoked their tokens", AdminAuth.actor(ctx), id);
          AdminResponses.ok(ctx, answer);
        })
        .onFailure(failure -> AdminResponses.error(ctx, failure));
  }

  /** Revokes every token family of the user; every gateway drops them within a second (NOTIFY). */
  public void revokeTokens(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    users.revokeTokens(id)
        .compose(change -> expect(change, what(id)))
        .onSuccess(done -> {
          log.info("admin {}: revoked the tokens of user {}", AdminAuth.actor(ctx), id);
          AdminResponses.noContent(ctx);
        })
        .onFailure(failure -> AdminResponses.error(ctx, failure));
  }

  /** A role name with a typo would grant nothing, silently: refused instead. */
  private Future<Void> knownRoles(List<String> names) {
    return roles.unknown(names).compose(unknown -> unknown.isEmpty() ? Future.succeededFuture()
        : Future.failedFuture(JsonInput.refuse("roles", "names unknown role '" + Shown.safe(unknown.get(0)) + "'")));
  }

  private static User withHash(User u, String hash) {
    return new User(u.id(), u.username(), hash, u.roles(), u.requirePasswordChange());
  }

  private static String what(String id) {
    return "user '" + Shown.safe(id) + "'";
  }

  /** Everything but the password hash, which never leaves the database. */
  static JsonObject render(User u) {
    return new JsonObject().put("id", u.id()).put("username", u.username()).put("roles", new JsonArray(u.roles()))
        .put("requirePasswordChange", u.requirePasswordChange());
  }
}
