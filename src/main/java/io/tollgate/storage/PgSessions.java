package io.tollgate.storage;

import io.tollgate.oauth.User;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

final class PgSessions implements Sessions {
  private final Pool pool;

  PgSessions(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<Void> create(byte[] sessionHash, String userId, int ttlSeconds) {
    // ended sessions are deleted by the periodic purge (PgPurge), off the request path
    return pool.preparedQuery("""
        INSERT INTO sessions (session_hash, user_id, expires_at) VALUES ($1, $2, now() + make_interval(secs => $3))""")
        .execute(Tuple.of(Buffer.buffer(sessionHash), userId, ttlSeconds))
        .mapEmpty();
  }

  @Override
  public Future<User> user(byte[] sessionHash) {
    return pool.preparedQuery("""
        SELECT u.* FROM sessions s JOIN users u ON u.id = s.user_id
        WHERE s.session_hash = $1 AND s.expires_at > now()""")
        .execute(Tuple.of(Buffer.buffer(sessionHash)))
        .map(PgUserStore::firstUser);
  }

  @Override
  public Future<Void> delete(byte[] sessionHash) {
    return pool.preparedQuery("DELETE FROM sessions WHERE session_hash = $1")
        .execute(Tuple.of(Buffer.buffer(sessionHash))).mapEmpty();
  }
}
