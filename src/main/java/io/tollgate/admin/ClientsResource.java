package io.tollgate.admin;

import static io.tollgate.admin.AdminResponses.attempt;
import static io.tollgate.admin.AdminResponses.expect;
import static io.tollgate.admin.AdminResponses.found;

import io.tollgate.crypto.PasswordHasher;
import io.tollgate.oauth.Client;
import io.tollgate.oauth.OAuthError;
import io.tollgate.storage.ClientStore;
import io.tollgate.tokens.OpaqueTokens;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /admin/clients}. A confidential client's secret is generated here (256 random bits), hashed
 * with argon2id on the hash workers, and shown once: in the answer to its creation or rotation.
 * Clients are read from the database at every token request, so every instance sees a change at once.
 */
public final class ClientsResource {
  private static final Logger log = LoggerFactory.getLogger(ClientsResource.class);

  private final ClientStore clients;
  private final PasswordHasher hasher;

  ClientsResource(ClientStore clients, PasswordHasher hasher) {
    this.clients = clients;
    this.hasher = hasher;
  }

  public void list(RoutingContext ctx) {
    attempt(() -> Paging.of(ctx))
        .compose(paging -> clients.list(paging.after(), paging.limit()))
        .onSuccess(page -> AdminResponses.ok(ctx, Paging.render(page, ClientsResource::render)))
        .onFailure(failure -> AdminResponses.error(ctx, failure));
  }

  public void read(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    clients.find(id)
        .compose(client -> found(client, "client '" + Shown.safe(id) + "'"))
        .onSuccess(client -> AdminResponses.ok(ctx, render(client)))
        .onFailure(failure -> AdminResponses.error(ctx, failure));
  }

  public void create(RoutingContext ctx) {
    attempt(() -> ClientInput.read(JsonInput.of(ctx), null))
        .compose(client -> withNewSecret(client).compose(created -> clients.create(created.client())
            .compose(change -> expect(change, "client '" + Shown.safe(client.id()) + "'"))
            .map(done -> created)))
        .onSuccess(created -> {
          log.info("admin {}: created client {}", AdminAuth.actor(ctx), created.client().id());
          AdminResponses.created(ctx, "/admin/clients/" + created.client().id(),
              withSecret(render(created.client()), created.secret()));
        })
        .onFailure(failure -> AdminResponses.error(ctx, failure));
  }

  public void update(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    attempt(() -> ClientInput.read(JsonInput.of(ctx), id))
        .compose(client -> clients.find(id)
            .compose(existing -> found(existing, "client '" + Shown.safe(id) + "'"))
            .compose(existing -> existing.isPublic() == client.isPublic() ? Future.succeededFuture(client)
                : Future.failedFuture(JsonInput.refuse("public", "cannot change after creation;"
                    + " delete the client and create it anew")))
            .compose(checked -> clients.update(checked))
            .compose(change -> expect(change, "client '" + Shown.safe(id) + "'"))
            .map(done -> client))
        .onSuccess(client -> {
          log.info("admin {}: updated client {}", AdminAuth.actor(ctx), id);
          AdminResponses.ok(ctx, render(client));
        })
        .onFailure(failure -> AdminResponses.error(ctx, failure));
  }

  public void delete(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    clients.delete(id)
        .compose(change -> expect(change, "client '" + Shown.safe(id) + "'"))
        .onSuccess(done -> {
          log.info("admin {}: deleted client {} and revoked its tokens", AdminAuth.actor(ctx), id);
          AdminResponses.noContent(ctx);
        })
        .onFailure(failure -> AdminResponses.error(ctx, failure));
  }

  /** A new secret replaces the old one at once, on every instance; tokens already issued stay valid. */
  public void rotateSecret(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    clients.find(id)
        .compose(client -> found(client, "client '" + Shown.safe(id) + "'"))
        .compose(client -> client.isPublic()
            ? Future.failedFuture(OAuthError.INVALID_REQUEST.because("a public client has no secret"))
            : withNewSecret(client))
        .compose(rotated -> clients.replaceSecret(id, rotated.client().secretHash())
            .compose(change -> expect(change, "client '" + Shown.safe(id) + "'"))
            .map(done -> rotated))
        .onSuccess(rotated -> {
          log.info("admin {}: new secret for client {}", AdminAuth.actor(ctx), id);
          AdminResponses.ok(ctx, withSecret(new JsonObject().put("id", id), rotated.secret()));
        })
        .onFailure(failure -> AdminResponses.error(ctx, failure));
  }

  /** Revokes every token family of the client; every gateway drops them within a second (NOTIFY). */
  public void revokeTokens(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    clients.revokeTokens(id)
        .compose(change -> expect(change, "client '" + Shown.safe(id) + "'"))
        .onSuccess(done -> {
          log.info("admin {}: revoked the tokens of client {}", AdminAuth.actor(ctx), id);
          AdminResponses.noContent(ctx);
        })
        .onFailure(failure -> AdminResponses.error(ctx, failure));
  }

  /** The client with a freshly generated secret (hashed off the event loop), or as it is when public. */
  private Future<WithSecret> withNewSecret(Client client) {
    if (client.isPublic()) {
      return Future.succeededFuture(new WithSecret(client, null));
    }
    String secret = OpaqueTokens.randomToken();
    return hasher.hash(secret).map(hash -> new WithSecret(new Client(client.id(), hash, client.grantType(),
        client.scopes(), client.defaultScopes(), client.redirectUris(), client.refreshTokens(), client.isPublic(),
        client.accessTtl(), client.refreshTtl(), client.webOrigins()), secret));
  }

  private record WithSecret(Client client, String secret) {}

  private static JsonObject withSecret(JsonObject body, String secret) {
    return secret == null ? body : body.put("secret", secret);
  }

  /** Everything but the secret hash, which never leaves the database. */
  static JsonObject render(Client c) {
    return new JsonObject().put("id", c.id()).put("grant", c.grantType().value())
        .put("public", c.isPublic())
        .put("scopes", new JsonArray(c.scopes()))
        .put("defaultScopes", c.defaultScopes() == null ? null : new JsonArray(c.defaultScopes()))
        .put("redirectUris", new JsonArray(c.redirectUris()))
        .put("refreshTokens", c.refreshTokens())
        .put("accessTtl", c.accessTtl())
        .put("refreshTtl", c.refreshTtl())
        .put("webOrigins", new JsonArray(c.webOrigins()));
  }
}
