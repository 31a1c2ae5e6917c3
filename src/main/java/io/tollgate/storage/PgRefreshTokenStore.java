package io.tollgate.storage;

import io.tollgate.storage.RefreshTokenStore.Outcome;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.UUID;
import java.util.function.UnaryOperator;

final class PgRefreshTokenStore implements RefreshTokenStore {
  private static final String INSERT = """
      INSERT INTO refresh_tokens (token_hash, family_id, client_id, user_id, scope, expires_at)
      VALUES ($1, $2, $3, $4, $5, now() + make_interval(secs => $6))""";

  private final Pool pool;
  private final FamilyRevocation revocation;

  PgRefreshTokenStore(Pool pool, FamilyRevocation revocation) {
    this.pool = pool;
    this.revocation = revocation;
  }

  @Override
  public Future<UUID> newFamily(String clientId, String userId, int familyTtlSeconds) {
    UUID id = UUID.randomUUID();
    return pool.preparedQuery("""
        INSERT INTO token_families (id, client_id, user_id, expires_at)
        VALUES ($1, $2, $3, now() + make_interval(secs => $4))""")
        .execute(Tuple.of(id, clientId, userId, familyTtlSeconds))
        .map(done -> id);
  }

  @Override
  public Future<UUID> newFamilyWithToken(byte[] tokenHash, String clientId, String userId, String scope,
      int ttlSeconds) {
    UUID id = UUID.randomUUID();
    // the family's row is checked by the token's foreign key at the end of the statement, where it exists
    return pool.preparedQuery("""
        WITH family AS (
          INSERT INTO token_families (id, client_id, user_id, expires_at)
          VALUES ($2, $3, $4, now() + make_interval(secs => $6)))
        INSERT INTO refresh_tokens (token_hash, family_id, client_id, user_id, scope, expires_at)
        VALUES ($1, $2, $3, $4, $5, now() + make_interval(secs => $6))""")
        .execute(Tuple.of(io.vertx.core.buffer.Buffer.buffer(tokenHash), id, clientId, userId, scope, ttlSeconds))
        .map(done -> id);
  }

  @Override
  public Future<Void> store(byte[] tokenHash, Grant g, int ttlSeconds) {
    return pool.preparedQuery(INSERT)
        .execute(Tuple.of(io.vertx.core.buffer.Buffer.buffer(tokenHash), g.familyId(), g.clientId(),
            g.userId(), g.scope(), ttlSeconds))
        .mapEmpty();
  }

  @Override
  public Future<Rotation> rotate(byte[] presentedHash, String clientId, byte[] nextHash, int ttlSeconds,
      UnaryOperator<String> narrow) {
    return pool.withTransaction(conn -> conn.preparedQuery("""
            SELECT t.family_id, t.client_id, t.user_id, t.scope, t.rotated_at,
                   t.expires_at <= now() AS expired, f.revoked_at IS NOT NULL AS revoked
            FROM refresh_tokens t JOIN token_families f ON f.id = t.family_id
            WHERE t.token_hash = $1 FOR UPDATE OF t""")
        .execute(Tuple.of(io.vertx.core.buffer.Buffer.buffer(presentedHash)))
        .compose(rows -> {
          if (rows.size() == 0) {
            return rotation(Outcome.NOT_FOUND, null);
          }
          Row row = rows.iterator().next();
          Grant stored = new Grant(row.getUUID("family_id"), row.getString("client_id"),
              row.getString("user_id"), row.getString("scope"));
          if (!stored.clientId().equals(clientId)) {
            return rotation(Outcome.NOT_FOUND, null); // RFC 6749 §6: bound to the client it was issued to
          }
          if (row.getBoolean("revoked")) {
            return rotation(Outcome.REVOKED, stored);
          }
          if (row.getValue("rotated_at") != null) {
            // RFC 9700 §4.14.2: a replayed refresh token revokes the whole family
            return revocation.family(conn, stored.familyId()).compose(done -> rotation(Outcome.REUSED, stored));
          }
          if (row.getBoolean("expired")) {
            return rotation(Outcome.EXPIRED, stored);
          }
          String scope = narrow.apply(stored.scope());
          if (scope == null) {
            return rotation(Outcome.INVALID_SCOPE, stored);
          }
          Grant next = new Grant(stored.familyId(), stored.clientId(), stored.userId(), scope);
          return conn.preparedQuery("UPDATE refresh_tokens SET rotated_at = now() WHERE token_hash = $1")
              .execute(Tuple.of(io.vertx.core.buffer.Buffer.buffer(presentedHash)))
              .compose(done -> conn.preparedQuery(INSERT).execute(Tuple.of(
                  io.vertx.core.buffer.Buffer.buffer(nextHash), next.familyId(), next.clientId(),
                  next.userId(), next.scope(), ttlSeconds)))
              .compose(done -> rotation(Outcome.ROTATED, next));
        }));
  }

  @Override
  public Future<Grant> findActive(byte[] tokenHash) {
    return pool.preparedQuery("""
        SELECT t.family_id, t.client_id, t.user_id, t.scope
        FROM refresh_tokens t JOIN token_families f ON f.id = t.family_id
        WHERE t.token_hash = $1 AND t.rotated_at IS NULL AND t.expires_at > now() AND f.revoked_at IS NULL""")
        .execute(Tuple.of(io.vertx.core.buffer.Buffer.buffer(tokenHash)))
        .map(rows -> {
          if (rows.size() == 0) {
            return null;
          }
          Row row = rows.iterator().next();
          return new Grant(row.getUUID("family_id"), row.getString("client_id"), row.getString("user_id"),
              row.getString("scope"));
        });
  }

  @Override
  public Future<Void> revokeFamily(UUID familyId) {
    return pool.withTransaction(conn -> revocation.family(conn, familyId));
  }

  private static Future<Rotation> rotation(Outcome outcome, Grant grant) {
    return Future.succeededFuture(new Rotation(outcome, grant));
  }
}
