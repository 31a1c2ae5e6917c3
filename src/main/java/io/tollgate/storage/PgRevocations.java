package io.tollgate.storage;

import io.tollgate.storage.Revocations.Revoked.Kind;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

final class PgRevocations implements Revocations {
  private final Pool pool;
  private final int accessTtl;

  PgRevocations(Pool pool, int accessTtl) {
    this.pool = pool;
    this.accessTtl = accessTtl;
  }

  @Override
  public Future<Void> revokeAccessToken(String jti, long expiresAtEpochSeconds) {
    Revoked revoked = new Revoked(Kind.JTI, jti, expiresAtEpochSeconds, 0);
    return pool.withTransaction(conn -> conn.preparedQuery("""
            INSERT INTO revoked_access_tokens (jti, expires_at) VALUES ($1, $2) ON CONFLICT DO NOTHING""")
        .execute(Tuple.of(jti, Instant.ofEpochSecond(expiresAtEpochSeconds).atOffset(ZoneOffset.UTC)))
        .compose(done -> conn.preparedQuery("SELECT pg_notify($1, $2)").execute(Tuple.of(CHANNEL, revoked.payload())))
        .mapEmpty());
  }

  @Override
  public Future<Boolean> isRevoked(String jti, UUID familyId, String clientId, String subject, long issuedAtMillis) {
    return pool.preparedQuery("""
        SELECT EXISTS (SELECT 1 FROM revoked_access_tokens WHERE jti = $1)
            OR EXISTS (SELECT 1 FROM token_families WHERE id = $2 AND revoked_at IS NOT NULL)
            OR EXISTS (SELECT 1 FROM clients WHERE id = $3 AND floor(extract(epoch FROM tokens_revoked_at) * 1000) >= $5)
            OR EXISTS (SELECT 1 FROM users WHERE id = $4 AND floor(extract(epoch FROM tokens_revoked_at) * 1000) >= $5)""")
        .execute(Tuple.of(jti, familyId, clientId, subject, issuedAtMillis))
        .map(rows -> rows.iterator().next().getBoolean(0));
  }

  /**
   * "Live" reaches a minute past each horizon: the verifier accepts a token for its clock leeway
   * (30 s) after {@code exp}, and the in-memory list keeps entries that long too.
   */
  @Override
  public Future<List<Revoked>> live() {
    return pool.preparedQuery("""
        SELECT 'jti' AS kind, jti AS id, floor(extract(epoch FROM expires_at))::bigint AS until, 0::bigint AS nb
        FROM revoked_access_tokens WHERE expires_at > now() - interval '1 minute'
        UNION ALL
        SELECT 'family', f.id::text, floor(extract(epoch FROM f.revoked_at + ttl))::bigint, 0
        FROM token_families f LEFT JOIN clients c ON c.id = f.client_id,
             LATERAL (SELECT make_interval(secs => coalesce(c.access_ttl, $1)) AS ttl) t
        WHERE f.revoked_at IS NOT NULL AND f.revoked_at + ttl > now() - interval '1 minute'
        UNION ALL
        SELECT 'client', c.id, floor(extract(epoch FROM c.tokens_revoked_at + ttl))::bigint,
               floor(extract(epoch FROM c.tokens_revoked_at) * 1000)::bigint
        FROM clients c, LATERAL (SELECT make_interval(secs => coalesce(c.access_ttl, $1)) AS ttl) t
        WHERE c.tokens_revoked_at + ttl > now() - interval '1 minute'
        UNION ALL
        SELECT 'user', u.id, floor(extract(epoch FROM u.tokens_revoked_at + ttl))::bigint,
               floor(extract(epoch FROM u.tokens_revoked_at) * 1000)::bigint
        FROM users u, (SELECT make_interval(secs => greatest($1, coalesce(max(access_ttl), 0))) AS ttl FROM clients) t
        WHERE u.tokens_revoked_at + ttl > now() - interval '1 minute'""")
        .execute(Tuple.of(accessTtl))
        .map(rows -> {
          List<Revoked> live = new ArrayList<>(rows.size());
          for (Row row : rows) {
            live.add(new Revoked(Kind.valueOf(row.getString("kind").toUpperCase(java.util.Locale.ROOT)),
                row.getString("id"), row.getLong("until"), row.getLong("nb")));
          }
          return live;
        });
  }
}
