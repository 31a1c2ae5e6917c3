package io.tollgate.tokenservice;

import io.tollgate.accounts.ClientAuthenticator;
import io.tollgate.accounts.UserLogin;
import io.tollgate.grants.GrantResult;
import io.tollgate.grants.Grants;
import io.tollgate.oauth.Form;
import io.tollgate.oauth.OAuthError;
import io.tollgate.oauth.OAuthException;
import io.tollgate.storage.ClientStore;
import io.vertx.core.Future;

/**
 * The API portal lets a user put their own {@code username:password} in the Basic header of a
 * {@code client_credentials} request: with {@code security.userCredentialsAsClient} this issues a
 * token for that user through the portal client, under the password grant's rules.
 */
final class UserCredentialsAsClient {
  private final UserLogin login;
  private final Grants grants;
  private final ClientStore clients;
  private final String portalClientId;

  UserCredentialsAsClient(UserLogin login, Grants grants, ClientStore clients, String portalClientId) {
    this.login = login;
    this.grants = grants;
    this.clients = clients;
    this.portalClientId = portalClientId;
  }

  Future<GrantResult> handle(ClientAuthenticator.Credentials basic, Form form) {
    return clients.find(portalClientId).compose(portal -> {
      if (portal == null) {
        return Future.failedFuture(OAuthError.INVALID_CLIENT.because("client authentication failed").withBasicChallenge());
      }
      return login.authenticate(basic.clientId(), basic.secret())
          .recover(err -> Future.failedFuture(err instanceof OAuthException oauth
              ? OAuthError.INVALID_CLIENT.because(oauth.description()).withBasicChallenge() : err))
          .compose(user -> grants.issueForUser(portal, user, form.get("scope")));
    });
  }
}
