package io.tollgate.tokenservice;

import io.tollgate.accounts.ClientAuthenticator;
import io.tollgate.oauth.Client;
import io.tollgate.oauth.OAuthResponses;
import io.tollgate.storage.RefreshTokenStore;
import io.tollgate.storage.Revocations;
import io.tollgate.tokens.AccessToken;
import io.tollgate.tokens.AccessTokenVerifier;
import io.tollgate.tokens.InvalidTokenException;
import io.tollgate.tokens.OpaqueTokens;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * RFC 7009 {@code POST /token/revoke}: a refresh token revokes its family, an access token its jti.
 * Unknown, foreign or already dead tokens answer 200 as well (§2.2): nothing to learn from it.
 */
public final class RevocationEndpoint implements Handler<RoutingContext> {
  private final ClientAuthenticator authenticator;
  private final RefreshTokenStore refreshTokens;
  private final Revocations revocations;
  private final AccessTokenVerifier verifier;

  RevocationEndpoint(ClientAuthenticator authenticator, RefreshTokenStore refreshTokens, Revocations revocations,
      AccessTokenVerifier verifier) {
    this.authenticator = authenticator;
    this.refreshTokens = refreshTokens;
    this.revocations = revocations;
    this.verifier = verifier;
  }

  @Override
  public void handle(RoutingContext ctx) {
    authenticator.authenticateForm(ctx, "token")
        .onSuccess(request -> TokenEndpoint.readableBy(ctx, request.client()))
        .compose(request -> revoke(request.client(), request.form().get("token")))
        .onSuccess(done -> ctx.response().setStatusCode(200).putHeader("Cache-Control", "no-store").end())
        .onFailure(failure -> OAuthResponses.error(ctx, failure));
  }

  private Future<Void> revoke(Client client, String token) {
    return refreshTokens.findActive(OpaqueTokens.sha256(token)).compose(grant -> {
      if (grant != null) {
        return grant.clientId().equals(client.id()) ? refreshTokens.revokeFamily(grant.familyId()) : Future.succeededFuture();
      }
      AccessToken access;
      try {
        access = verifier.verify(token);
      } catch (InvalidTokenException notOurs) {
        return Future.succeededFuture();
      }
      return access.clientId().equals(client.id())
          ? revocations.revokeAccessToken(access.jti(), access.expiresAt())
          : Future.succeededFuture();
    });
  }
}
