package io.tollgate.grants;

import io.tollgate.oauth.Client;
import io.tollgate.oauth.Form;
import io.tollgate.oauth.GrantType;
import io.tollgate.oauth.ScopePolicy;
import io.vertx.core.Future;

/** RFC 6749 §4.4: the client acts on its own behalf; the token carries at most its allowed scopes. */
final class ClientCredentialsGrant implements GrantHandler<ClientCredentialsGrant.Request> {
  /** RFC 6749 §4.4.2: only {@code scope}, which may be absent. */
  record Request(String scope) {}

  private final TokenIssuer issuer;

  ClientCredentialsGrant(TokenIssuer issuer) {
    this.issuer = issuer;
  }

  @Override
  public GrantType type() {
    return GrantType.CLIENT_CREDENTIALS;
  }

  @Override
  public Future<Request> parse(Form form) {
    return Future.succeededFuture(new Request(form.get("scope")));
  }

  @Override
  public Future<GrantResult> handle(Client client, Request request) {
    return ScopePolicy.grant(client, request.scope(), null)
        .compose(scope -> issuer.issue(client, null, scope));
  }
}
