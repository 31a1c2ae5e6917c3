package io.tollgate.grants;

import io.tollgate.oauth.Client;
import io.tollgate.oauth.GrantType;
import io.tollgate.oauth.Scopes;
import io.tollgate.oauth.User;
import io.tollgate.storage.UserStore;
import io.vertx.core.Future;

/**
 * RFC 6749 §4.3. A user who must change the password gets Profix's
 * {@code {"userid", "RequireChangePassword": true}} instead of tokens.
 */
final class PasswordGrant implements GrantHandler {
  private final UserLogin login;
  private final UserStore users;
  private final TokenIssuer issuer;

  PasswordGrant(UserLogin login, UserStore users, TokenIssuer issuer) {
    this.login = login;
    this.users = users;
    this.issuer = issuer;
  }

  @Override
  public GrantType type() {
    return GrantType.PASSWORD;
  }

  @Override
  public Future<GrantResult> handle(TokenRequest request) {
    String username = request.form().require("username");
    String password = request.form().require("password");
    return login.authenticate(username, password)
        .compose(user -> issueFor(request.client(), user, request.form().get("scope")));
  }

  /** Shared with the consumer login, which is this grant for the configured portal client. */
  Future<GrantResult> issueFor(Client client, User user, String requestedScope) {
    if (user.requirePasswordChange()) {
      return Future.succeededFuture(new GrantResult.PasswordChangeRequired(user.id()));
    }
    return users.scopesOf(user.roles())
        .compose(roleScopes -> issuer.issue(client, user.id(),
            Scopes.format(ScopePolicy.grant(client, requestedScope, roleScopes))));
  }
}
