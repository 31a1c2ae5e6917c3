package io.tollgate.tokenservice;

import io.micrometer.core.instrument.MeterRegistry;
import io.tollgate.accounts.Accounts;
import io.tollgate.accounts.ClientAuthenticator;
import io.tollgate.accounts.UserLogin;
import io.tollgate.config.TollgateConfig;
import io.tollgate.cors.CorsPolicy;
import io.tollgate.crypto.ClientSecretVerifier;
import io.tollgate.crypto.PasswordHasher;
import io.tollgate.grants.Grants;
import io.tollgate.storage.Storage;
import io.tollgate.tokens.AccessTokenVerifier;
import io.tollgate.tokens.TokenMinter;
import java.util.List;

/**
 * The token-service endpoints, wired once and shared by every event loop; {@code cors}: the preflight
 * policy of the token, revocation and introspection endpoints.
 */
public record TokenService(
    TokenEndpoint token,
    ChangePasswordEndpoint changePassword,
    ConsumerLoginEndpoint consumerLogin,
    RevocationEndpoint revoke,
    IntrospectionEndpoint introspect,
    Accounts accounts,
    CorsPolicy cors) {

  /**
   * {@code issuer} and {@code audience}: what the tokens name (RFC 9068 §2.2); {@code portalClient}: the
   * {@code consumerLogin.client} that issues the portal's tokens, null when none is configured.
   */
  public static TokenService create(TollgateConfig.Tokens tokens, TollgateConfig.Security security, String issuerUrl,
      List<String> audience, String portalClient, Storage storage, TokenMinter minter, AccessTokenVerifier verifier,
      PasswordHasher hasher, ClientSecretVerifier secrets, MeterRegistry registry) {
    ClientAuthenticator authenticator =
        new ClientAuthenticator(storage.clients(), secrets, security.allowClientCredentialsInQuery());
    Accounts accounts = Accounts.create(storage, hasher, security);
    UserLogin login = accounts.login();
    Grants grants = Grants.create(tokens, audience, storage, minter, login);
    TokenEndpoint token = new TokenEndpoint(authenticator, grants.handlers(),
        security.userCredentialsAsClient()
            ? new UserCredentialsAsClient(login, grants, storage.clients(), portalClient)
            : null,
        registry);
    return new TokenService(
        token,
        new ChangePasswordEndpoint(authenticator, storage.users(), accounts.passwordChange()),
        new ConsumerLoginEndpoint(login, grants, storage.clients(), portalClient),
        new RevocationEndpoint(authenticator, storage.refreshTokens(), storage.revocations(), verifier),
        new IntrospectionEndpoint(authenticator, storage.refreshTokens(), storage.revocations(), verifier,
            issuerUrl),
        accounts,
        // a preflight names no client: any origin a client registered (in memory, README "Browsers (CORS)")
        CorsPolicy.registered(storage.webOrigins()::registered));
  }
}
