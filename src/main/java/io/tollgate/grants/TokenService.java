package io.tollgate.grants;

import io.micrometer.core.instrument.MeterRegistry;
import io.tollgate.config.TollgateConfig;
import io.tollgate.crypto.ClientSecretVerifier;
import io.tollgate.crypto.PasswordHasher;
import io.tollgate.storage.Storage;
import io.tollgate.tokens.AccessTokenVerifier;
import io.tollgate.tokens.TokenMinter;
import java.util.List;

/** The token-service endpoints, wired once and shared by every event loop. */
public record TokenService(
    TokenEndpoint token,
    ChangePasswordEndpoint changePassword,
    ConsumerLoginEndpoint consumerLogin,
    RevocationEndpoint revoke,
    IntrospectionEndpoint introspect,
    Accounts accounts) {

  public static TokenService create(TollgateConfig config, Storage storage, TokenMinter minter,
      AccessTokenVerifier verifier, PasswordHasher hasher, ClientSecretVerifier secrets, MeterRegistry registry) {
    ClientAuthenticator authenticator =
        new ClientAuthenticator(storage.clients(), secrets, config.security().allowClientCredentialsInQuery());
    TokenIssuer issuer = new TokenIssuer(minter, storage.refreshTokens(), config.tokens(), config.audience());
    Accounts accounts = Accounts.create(storage, hasher, config.security());
    UserLogin login = accounts.login();
    PasswordGrant password = new PasswordGrant(login, storage.users(), issuer);
    TokenEndpoint token = new TokenEndpoint(authenticator, List.<GrantHandler<?>>of(
        new AuthorizationCodeGrant(storage.codes(), storage.refreshTokens(), issuer),
        new ClientCredentialsGrant(issuer),
        password,
        new RefreshTokenGrant(storage.refreshTokens(), issuer)),
        config.security().userCredentialsAsClient()
            ? new UserCredentialsAsClient(login, password, storage.clients(), config.consumerLogin().client())
            : null,
        registry);
    return new TokenService(
        token,
        new ChangePasswordEndpoint(authenticator, storage.users(), accounts.passwordChange()),
        new ConsumerLoginEndpoint(login, password, storage.clients(), config.consumerLogin().client()),
        new RevocationEndpoint(authenticator, storage.refreshTokens(), storage.revocations(), verifier),
        new IntrospectionEndpoint(authenticator, storage.refreshTokens(), storage.revocations(), verifier,
            config.issuer()),
        accounts);
  }
}
