package io.tollgate.storage;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

final class PgLoginAttempts implements LoginAttempts {
  private final Pool pool;

  PgLoginAttempts(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<Boolean> isLocked(String username) {
    return pool.preparedQuery("SELECT 1 FROM login_failures WHERE username = $1 AND locked_until > now()")
        .execute(Tuple.of(username))
        .map(rows -> rows.size() > 0);
  }

  @Override
  public Future<Void> recordFailure(String username, int maxFailures, int lockSeconds) {
    // one statement, so that concurrent failures on several instances all count
    return pool.preparedQuery("""
        INSERT INTO login_failures AS f (username, failures) VALUES ($1, 1)
        ON CONFLICT (username) DO UPDATE SET
          failures = CASE WHEN f.locked_until IS NOT NULL AND f.locked_until <= now() THEN 1
                          ELSE f.failures + 1 END,
          locked_until = CASE
            WHEN f.locked_until IS NOT NULL AND f.locked_until <= now() THEN NULL
            ELSE f.locked_until END,
          updated_at = now()
        RETURNING failures""").execute(Tuple.of(username))
        .compose(rows -> rows.iterator().next().getInteger(0) < maxFailures
            ? Future.succeededFuture()
            : pool.preparedQuery("""
                UPDATE login_failures SET locked_until = now() + make_interval(secs => $2)
                WHERE username = $1""").execute(Tuple.of(username, lockSeconds)).mapEmpty());
  }

  @Override
  public Future<Void> clear(String username) {
    return pool.preparedQuery("DELETE FROM login_failures WHERE username = $1")
        .execute(Tuple.of(username)).mapEmpty();
  }
}
