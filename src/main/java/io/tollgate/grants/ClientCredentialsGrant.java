package io.tollgate.grants;

import io.tollgate.oauth.GrantType;
import io.tollgate.oauth.Scopes;
import io.vertx.core.Future;

/** RFC 6749 §4.4: the client acts on its own behalf; the token carries at most its allowed scopes. */
final class ClientCredentialsGrant implements GrantHandler {
  private final TokenIssuer issuer;

  ClientCredentialsGrant(TokenIssuer issuer) {
    this.issuer = issuer;
  }

  @Override
  public GrantType type() {
    return GrantType.CLIENT_CREDENTIALS;
  }

  @Override
  public Future<GrantResult> handle(TokenRequest request) {
    String scope = Scopes.format(ScopePolicy.grant(request.client(), request.form().get("scope"), null));
    return issuer.issue(request.client(), null, scope);
  }
}
