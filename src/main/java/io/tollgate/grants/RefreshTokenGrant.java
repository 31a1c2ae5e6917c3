package io.tollgate.grants;

import io.tollgate.crypto.Tokens;
import io.tollgate.oauth.GrantType;
import io.tollgate.oauth.OAuthError;
import io.tollgate.oauth.Scopes;
import io.tollgate.storage.RefreshTokenStore;
import io.vertx.core.Future;
import java.util.Set;

/** RFC 6749 §6 with rotation: every use answers a new refresh token and kills the old one. */
final class RefreshTokenGrant implements GrantHandler {
  private final RefreshTokenStore store;
  private final TokenIssuer issuer;

  RefreshTokenGrant(RefreshTokenStore store, TokenIssuer issuer) {
    this.store = store;
    this.issuer = issuer;
  }

  @Override
  public GrantType type() {
    return GrantType.REFRESH_TOKEN;
  }

  @Override
  public Future<GrantResult> handle(TokenRequest request) {
    String presented = request.form().require("refresh_token");
    Set<String> requested = Scopes.parse(request.form().get("scope"));
    String next = Tokens.randomToken();
    return store.rotate(Tokens.sha256(presented), request.client().id(), Tokens.sha256(next),
            issuer.refreshTtl(request.client()), stored -> narrow(stored, requested))
        .compose(rotation -> switch (rotation.outcome()) {
          case ROTATED -> Future.succeededFuture(issuer.tokens(request.client(), rotation.grant().userId(),
              rotation.grant().scope(), rotation.grant().familyId(), next));
          case INVALID_SCOPE -> Future.failedFuture(
              OAuthError.INVALID_SCOPE.because("the requested scope exceeds the original grant"));
          case REUSED -> Future.failedFuture(OAuthError.INVALID_GRANT.because(
              "refresh token already used; every token of this grant is revoked"));
          case EXPIRED -> Future.failedFuture(OAuthError.INVALID_GRANT.because("refresh token expired"));
          case REVOKED -> Future.failedFuture(OAuthError.INVALID_GRANT.because("refresh token revoked"));
          case NOT_FOUND -> Future.failedFuture(OAuthError.INVALID_GRANT.because("unknown refresh token"));
        });
  }

  /** RFC 6749 §6: a narrower scope may be asked for, never a wider one. */
  private static String narrow(String stored, Set<String> requested) {
    if (requested.isEmpty()) {
      return stored;
    }
    Set<String> original = Scopes.parse(stored);
    return original.containsAll(requested) ? Scopes.format(requested) : null;
  }
}
