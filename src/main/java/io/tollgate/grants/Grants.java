package io.tollgate.grants;

import io.tollgate.accounts.UserLogin;
import io.tollgate.config.TollgateConfig;
import io.tollgate.oauth.Client;
import io.tollgate.oauth.User;
import io.tollgate.storage.Storage;
import io.tollgate.tokens.TokenMinter;
import io.vertx.core.Future;
import java.util.List;

/** The grants behind {@link GrantHandler}, built once; the grant classes stay inside this package. */
public final class Grants {
  private final List<GrantHandler<?>> handlers;
  private final PasswordGrant password;

  private Grants(List<GrantHandler<?>> handlers, PasswordGrant password) {
    this.handlers = handlers;
    this.password = password;
  }

  /** {@code audience}: what the access tokens name (RFC 9068 §2.2). */
  public static Grants create(TollgateConfig.Tokens tokens, List<String> audience, Storage storage, TokenMinter minter,
      UserLogin login) {
    TokenIssuer issuer = new TokenIssuer(minter, storage.refreshTokens(), tokens, audience);
    PasswordGrant password = new PasswordGrant(login, storage.users(), issuer);
    return new Grants(List.of(
        new AuthorizationCodeGrant(storage.codes(), storage.refreshTokens(), issuer),
        new ClientCredentialsGrant(issuer),
        password,
        new RefreshTokenGrant(storage.refreshTokens(), issuer)), password);
  }

  /** One handler per grant type, for the token endpoint to choose from. */
  public List<GrantHandler<?>> handlers() {
    return handlers;
  }

  /**
   * The password grant's answer for a user already logged in: the portal's consumer login and its
   * user-as-client form are this grant for the portal client.
   */
  public Future<GrantResult> issueForUser(Client client, User user, String requestedScope) {
    return password.issueFor(client, user, requestedScope);
  }
}
