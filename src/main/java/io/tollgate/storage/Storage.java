package io.tollgate.storage;

import io.vertx.sqlclient.Pool;

/** Every storage port, over one PostgreSQL pool. All SQL of Tollgate lives in this package. */
public record Storage(
    ClientStore clients,
    UserStore users,
    RoleStore roles,
    LoginAttempts loginAttempts,
    RefreshTokenStore refreshTokens,
    Revocations revocations,
    AuthorizationCodes codes,
    Sessions sessions,
    WebOrigins webOrigins) {

  /** {@code accessTtl}: the default access-token lifetime, which bounds how long a revocation matters. */
  public static Storage postgres(Pool pool, int accessTtl) {
    FamilyRevocation families = new FamilyRevocation(accessTtl);
    PgClientStore clients = new PgClientStore(pool, families);
    WebOrigins webOrigins = new WebOrigins(clients);
    return new Storage(
        new CachedClientStore(clients, webOrigins),
        new PgUserStore(pool, families),
        new PgRoleStore(pool, families),
        new PgLoginAttempts(pool),
        new PgRefreshTokenStore(pool, families),
        new PgRevocations(pool, accessTtl),
        new PgAuthorizationCodes(pool),
        new PgSessions(pool),
        webOrigins);
  }
}
