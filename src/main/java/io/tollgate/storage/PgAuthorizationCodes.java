package io.tollgate.storage;

import io.tollgate.storage.AuthorizationCodes.Outcome;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

final class PgAuthorizationCodes implements AuthorizationCodes {
  private final Pool pool;

  PgAuthorizationCodes(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<Void> store(byte[] codeHash, Code c, int ttlSeconds) {
    // expired codes are deleted by the periodic purge (PgPurge), off the request path
    return pool.preparedQuery("""
        INSERT INTO authorization_codes (code_hash, client_id, user_id, redirect_uri, scope, code_challenge, expires_at)
        VALUES ($1, $2, $3, $4, $5, $6, now() + make_interval(secs => $7))""")
        .execute(Tuple.of(Buffer.buffer(codeHash), c.clientId(), c.userId(), c.redirectUri(), c.scope(),
            c.codeChallenge(), ttlSeconds))
        .mapEmpty();
  }

  @Override
  public Future<Redemption> redeem(byte[] codeHash) {
    Tuple hash = Tuple.of(Buffer.buffer(codeHash));
    // the row lock makes concurrent redemptions of one code take turns: only the first sees used_at null
    return pool.withTransaction(conn -> conn.preparedQuery("""
            SELECT client_id, user_id, redirect_uri, scope, code_challenge, used_at IS NOT NULL AS used,
                   expires_at <= now() AS expired, family_id
            FROM authorization_codes WHERE code_hash = $1 FOR UPDATE""")
        .execute(hash)
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.succeededFuture(new Redemption(Outcome.NOT_FOUND, null, null));
          }
          Row row = rows.iterator().next();
          Code code = new Code(row.getString("client_id"), row.getString("user_id"), row.getString("redirect_uri"),
              row.getString("scope"), row.getString("code_challenge"));
          if (row.getBoolean("used")) {
            return conn.preparedQuery("UPDATE authorization_codes SET replayed_at = now() WHERE code_hash = $1")
                .execute(hash)
                .map(done -> new Redemption(Outcome.REUSED, code, row.getUUID("family_id")));
          }
          Outcome outcome = row.getBoolean("expired") ? Outcome.EXPIRED : Outcome.REDEEMED;
          return conn.preparedQuery("UPDATE authorization_codes SET used_at = now() WHERE code_hash = $1")
              .execute(hash)
              .map(done -> new Redemption(outcome, code, null));
        }));
  }

  @Override
  public Future<Boolean> attachFamily(byte[] codeHash, java.util.UUID familyId) {
    return pool.preparedQuery("""
        UPDATE authorization_codes SET family_id = $2 WHERE code_hash = $1 RETURNING replayed_at IS NOT NULL""")
        .execute(Tuple.of(Buffer.buffer(codeHash), familyId))
        .map(rows -> rows.size() > 0 && rows.iterator().next().getBoolean(0));
  }
}
