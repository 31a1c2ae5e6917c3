package io.tollgate.grants;

import io.tollgate.accounts.UserLogin;
import io.tollgate.oauth.Client;
import io.tollgate.oauth.Form;
import io.tollgate.oauth.GrantType;
import io.tollgate.oauth.OAuthException;
import io.tollgate.oauth.ScopePolicy;
import io.tollgate.oauth.User;
import io.tollgate.storage.UserStore;
import io.vertx.core.Future;

/**
 * RFC 6749 §4.3. A user who must change the password gets Profix's
 * {@code {"userid", "RequireChangePassword": true}} instead of tokens.
 */
final class PasswordGrant implements GrantHandler<PasswordGrant.Request> {
  /** RFC 6749 §4.3.2; {@code scope} may be absent. */
  record Request(String username, String password, String scope) {
    @Override
    public String toString() {
      return "PasswordGrant.Request[username=" + username + ", scope=" + scope + "]"; // never the password
    }
  }

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
  public Future<Request> parse(Form form) {
    OAuthException missing = form.missing("username", "password");
    return missing != null ? Future.failedFuture(missing)
        : Future.succeededFuture(new Request(form.get("username"), form.get("password"), form.get("scope")));
  }

  @Override
  public Future<GrantResult> handle(Client client, Request request) {
    return login.authenticate(request.username(), request.password())
        .compose(user -> issueFor(client, user, request.scope()));
  }

  /** Shared with the consumer login, which is this grant for the configured portal client. */
  Future<GrantResult> issueFor(Client client, User user, String requestedScope) {
    if (user.requirePasswordChange()) {
      return Future.succeededFuture(new GrantResult.PasswordChangeRequired(user.id()));
    }
    return users.scopesOf(user.roles())
        .compose(roleScopes -> ScopePolicy.grant(client, requestedScope, roleScopes))
        .compose(scope -> issuer.issue(client, user.id(), scope));
  }
}
