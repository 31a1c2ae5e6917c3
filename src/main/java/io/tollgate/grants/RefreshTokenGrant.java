package io.tollgate.grants;

import io.tollgate.oauth.Client;
import io.tollgate.oauth.Form;
import io.tollgate.oauth.GrantType;
import io.tollgate.oauth.OAuthError;
import io.tollgate.oauth.OAuthException;
import io.tollgate.oauth.Scopes;
import io.tollgate.storage.RefreshTokenStore;
import io.tollgate.tokens.OpaqueTokens;
import io.vertx.core.Future;
import java.util.Set;

/** RFC 6749 §6 with rotation: every use answers a new refresh token and kills the old one. */
final class RefreshTokenGrant implements GrantHandler<RefreshTokenGrant.Request> {
  /** RFC 6749 §6: the refresh token, and the scope asked for (empty: the original grant's). */
  record Request(String refreshToken, Set<String> scope) {
    @Override
    public String toString() {
      return "RefreshTokenGrant.Request[scope=" + scope + "]"; // never the token
    }
  }

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
  public Future<Request> parse(Form form) {
    OAuthException missing = form.missing("refresh_token");
    return missing != null ? Future.failedFuture(missing)
        : Future.succeededFuture(new Request(form.get("refresh_token"), Scopes.parse(form.get("scope"))));
  }

  @Override
  public Future<GrantResult> handle(Client client, Request request) {
    String next = OpaqueTokens.randomToken();
    return store.rotate(OpaqueTokens.sha256(request.refreshToken()), client.id(), OpaqueTokens.sha256(next),
            issuer.refreshTtl(client), stored -> narrow(stored, request.scope()))
        .compose(rotation -> switch (rotation.outcome()) {
          case ROTATED -> Future.succeededFuture(issuer.tokens(client, rotation.grant().userId(),
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
