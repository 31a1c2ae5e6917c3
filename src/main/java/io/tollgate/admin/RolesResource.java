package io.tollgate.admin;

import static io.tollgate.admin.AdminResponses.attempt;
import static io.tollgate.admin.AdminResponses.expect;
import static io.tollgate.admin.AdminResponses.found;

import io.tollgate.oauth.Role;
import io.tollgate.storage.RoleStore;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code /admin/roles}: a role grants scopes; a user's tokens carry at most the scopes of the user's roles. */
public final class RolesResource {
  private static final Logger log = LoggerFactory.getLogger(RolesResource.class);

  private final RoleStore roles;

  RolesResource(RoleStore roles) {
    this.roles = roles;
  }

  public void list(RoutingContext ctx) {
    attempt(() -> Paging.of(ctx))
        .compose(paging -> roles.list(paging.after(), paging.limit()))
        .onSuccess(page -> AdminResponses.ok(ctx, Paging.render(page, RolesResource::render)))
        .onFailure(failure -> AdminResponses.error(ctx, failure));
  }

  public void read(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    roles.find(name)
        .compose(role -> found(role, what(name)))
        .onSuccess(role -> AdminResponses.ok(ctx, render(role)))
        .onFailure(failure -> AdminResponses.error(ctx, failure));
  }

  public void create(RoutingContext ctx) {
    attempt(() -> read(JsonInput.of(ctx), null))
        .compose(role -> roles.create(role).compose(change -> expect(change, what(role.name()))).map(done -> role))
        .onSuccess(role -> {
          log.info("admin {}: created role {}", AdminAuth.actor(ctx), role.name());
          AdminResponses.created(ctx, "/admin/roles/" + role.name(), render(role));
        })
        .onFailure(failure -> AdminResponses.error(ctx, failure));
  }

  public void update(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    attempt(() -> read(JsonInput.of(ctx), name))
        .compose(role -> roles.update(role).compose(change -> expect(change, what(name))).map(done -> role))
        .onSuccess(role -> {
          log.info("admin {}: updated role {}", AdminAuth.actor(ctx), name);
          AdminResponses.ok(ctx, render(role));
        })
        .onFailure(failure -> AdminResponses.error(ctx, failure));
  }

  /** Also takes the role from every user who holds it (one transaction). */
  public void delete(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    roles.delete(name)
        .compose(change -> expect(change, what(name)))
        .onSuccess(done -> {
          log.info("admin {}: deleted role {}", AdminAuth.actor(ctx), name);
          AdminResponses.noContent(ctx);
        })
        .onFailure(failure -> AdminResponses.error(ctx, failure));
  }

  /** {@code pathName}: the name in the URL on update (a body name must then equal it), null on create. */
  private static Role read(JsonInput in, String pathName) {
    String name = in.string("name", null);
    if (pathName != null && name != null && !name.equals(pathName)) {
      throw JsonInput.refuse("name", "differs from the name in the path; a role cannot be renamed");
    }
    if (pathName == null && name == null) {
      throw JsonInput.refuse("name", "is required");
    }
    name = pathName != null ? pathName : Names.id("name", name);
    List<String> scopes = Names.scopes("scopes", in.strings("scopes", List.of()));
    in.finish();
    return new Role(name, scopes);
  }

  private static String what(String name) {
    return "role '" + Shown.safe(name) + "'";
  }

  static JsonObject render(Role role) {
    return new JsonObject().put("name", role.name()).put("scopes", new JsonArray(role.scopes()));
  }
}
