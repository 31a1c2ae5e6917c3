package io.tollgate.storage;

import io.vertx.sqlclient.Pool;

/** Every storage port, over one PostgreSQL pool. All SQL of Tollgate lives in this package. */
public record Storage(
    ClientStore clients,
    UserStore users,
    LoginAttempts loginAttempts,
    RefreshTokenStore refreshTokens,
    Revocations revocations,
    AuthorizationCodes codes,
    Sessions sessions) {

  public static Storage postgres(Pool pool) {
    return new Storage(
        new PgClientStore(pool),
        new PgUserStore(pool),
        new PgLoginAttempts(pool),
        new PgRefreshTokenStore(pool),
        new PgRevocations(pool),
        new PgAuthorizationCodes(pool),
        new PgSessions(pool));
  }
}
