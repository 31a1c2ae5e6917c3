package io.tollgate.tokenservice;

import io.tollgate.accounts.ClientAuthenticator;
import io.tollgate.oauth.OAuthError;
import io.tollgate.oauth.OAuthException;
import io.tollgate.oauth.OAuthResponses;
import io.tollgate.storage.RefreshTokenStore;
import io.tollgate.storage.Revocations;
import io.tollgate.tokens.AccessToken;
import io.tollgate.tokens.AccessTokenVerifier;
import io.tollgate.tokens.InvalidTokenException;
import io.tollgate.tokens.OpaqueTokens;
import io.tollgate.tokens.TokenIds;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;

/** RFC 7662 {@code POST /token/introspect} for authenticated clients; anything not live is {@code {"active": false}}. */
public final class IntrospectionEndpoint implements Handler<RoutingContext> {
  private static final JsonObject INACTIVE = new JsonObject().put("active", false);
  /**
   * RFC 7662 §2.1: the caller must be authorised to introspect; a public client has no credentials,
   * so anyone could claim its id and read any token's subject, client and scope.
   */
  private static final OAuthException PUBLIC_CLIENT =
      OAuthError.INVALID_CLIENT.because("introspection needs a confidential client");

  private final ClientAuthenticator authenticator;
  private final RefreshTokenStore refreshTokens;
  private final Revocations revocations;
  private final AccessTokenVerifier verifier;
  private final String issuer;

  IntrospectionEndpoint(ClientAuthenticator authenticator, RefreshTokenStore refreshTokens, Revocations revocations,
      AccessTokenVerifier verifier, String issuer) {
    this.authenticator = authenticator;
    this.refreshTokens = refreshTokens;
    this.revocations = revocations;
    this.verifier = verifier;
    this.issuer = issuer;
  }

  @Override
  public void handle(RoutingContext ctx) {
    authenticator.authenticateForm(ctx, "token")
        .onSuccess(request -> TokenEndpoint.readableBy(ctx, request.client()))
        .compose(request -> request.client().isPublic() ? Future.failedFuture(PUBLIC_CLIENT)
            : introspect(request.form().get("token")))
        .onSuccess(answer -> OAuthResponses.json(ctx, 200, answer))
        .onFailure(failure -> OAuthResponses.error(ctx, failure));
  }

  private Future<JsonObject> introspect(String token) {
    AccessToken access;
    try {
      access = verifier.verify(token);
    } catch (InvalidTokenException notAnAccessToken) {
      return refreshTokens.findActive(OpaqueTokens.sha256(token)).map(grant -> grant == null ? INACTIVE
          : new JsonObject().put("active", true).put("scope", grant.scope()).put("client_id", grant.clientId())
              .put("sub", grant.userId() != null ? grant.userId() : grant.clientId()).put("iss", issuer)
              .put("token_type", "refresh_token"));
    }
    UUID family = access.sid() == null ? null : UUID.fromString(access.sid());
    return revocations.isRevoked(access.jti(), family, access.clientId(), access.subject(),
            TokenIds.issuedMillis(access.jti(), access.issuedAt() * 1000))
        .map(revoked -> revoked ? INACTIVE
        : new JsonObject().put("active", true).put("scope", access.scope()).put("client_id", access.clientId())
            .put("sub", access.subject()).put("exp", access.expiresAt()).put("iat", access.issuedAt())
            .put("iss", issuer).put("jti", access.jti()).put("token_type", "Bearer"));
  }
}
