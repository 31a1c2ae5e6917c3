package io.tollgate.storage;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;

final class PgRevocations implements Revocations {
  private final Pool pool;

  PgRevocations(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<Void> revokeAccessToken(String jti, long expiresAtEpochSeconds) {
    return pool.withTransaction(conn -> conn.preparedQuery("""
            INSERT INTO revoked_access_tokens (jti, expires_at) VALUES ($1, $2) ON CONFLICT DO NOTHING""")
        .execute(Tuple.of(jti, Instant.ofEpochSecond(expiresAtEpochSeconds).atOffset(ZoneOffset.UTC)))
        .compose(done -> conn.preparedQuery("SELECT pg_notify($1, $2)").execute(Tuple.of(CHANNEL, "jti:" + jti)))
        .mapEmpty());
  }

  @Override
  public Future<Boolean> isRevoked(String jti, UUID familyId) {
    return pool.preparedQuery("""
        SELECT EXISTS (SELECT 1 FROM revoked_access_tokens WHERE jti = $1)
            OR EXISTS (SELECT 1 FROM token_families WHERE id = $2 AND revoked_at IS NOT NULL)""")
        .execute(Tuple.of(jti, familyId))
        .map(rows -> rows.iterator().next().getBoolean(0));
  }
}
