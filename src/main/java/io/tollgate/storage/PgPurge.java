package io.tollgate.storage;

import io.tollgate.storage.Purge.Purged;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The purge of issue 7. Each table is emptied of what can no longer matter by statements of at most
 * {@link #BATCH} rows, each its own short transaction that skips rows a request holds, all on one
 * connection under a session advisory lock, so that of several instances one purges at a time.
 */
final class PgPurge implements Purge {
  private static final Logger log = LoggerFactory.getLogger(PgPurge.class);
  static final int BATCH = 1000;
  /** Distinct from the migrations' lock. */
  static final long LOCK_ID = 0x70_11_6a_7fL;
  /**
   * RFC 6749 §4.1.2: a code used twice revokes every token issued from it. The client whose code was
   * stolen and redeemed first may present it late; a day past expiry its replay still revokes them.
   */
  private static final int CODE_REPLAY_SECONDS = 86_400;
  /**
   * Clocks of instances and database differ a little, and verifiers accept a token a little past its
   * {@code exp}: whatever decides whether a token is revoked outlives the token by this much.
   */
  private static final int MARGIN_SECONDS = 300;
  private static final String EXPIRED = "expires_at < now() - make_interval(secs => $1)";

  private final Pool pool;
  private final int accessTtl;
  private final int lockSeconds;

  PgPurge(Pool pool, int accessTtl, int lockSeconds) {
    this.pool = pool;
    this.accessTtl = accessTtl;
    this.lockSeconds = lockSeconds;
  }

  /** One table's rule: rows matching {@code condition} ({@code $1}: seconds kept past it) go. */
  private record Step(String table, String sql, int keepSeconds) {
    static Step of(String table, String key, String condition, int keepSeconds) {
      return new Step(table, """
          DELETE FROM %1$s WHERE %2$s IN (
            SELECT %2$s FROM %1$s WHERE %3$s LIMIT $2 FOR UPDATE SKIP LOCKED)""".formatted(table, key, condition),
          keepSeconds);
    }
  }

  /**
   * {@code tokenSeconds}: how long past its end a refresh token or family is kept, so that every
   * access token issued from it has expired first. Refresh tokens go before families, so that a
   * family whose last token went goes in the same pass.
   */
  private List<Step> steps(int tokenSeconds) {
    return List.of(
        Step.of("authorization_codes", "code_hash", EXPIRED, CODE_REPLAY_SECONDS),
        Step.of("sessions", "session_hash", EXPIRED, 0),
        // Revocations.live() reports a revoked jti until a minute past the token's expiry: MARGIN covers that
        Step.of("revoked_access_tokens", "jti", EXPIRED, MARGIN_SECONDS),
        // README "Operations", Purge: failures count towards a lockout until lockSeconds pass without another
        Step.of("login_failures", "username",
            "updated_at < now() - make_interval(secs => $1) AND (locked_until IS NULL OR locked_until <= now())",
            lockSeconds),
        // RFC 6749 §6: an expired refresh token is refused anyway; while it exists its family stays
        Step.of("refresh_tokens", "token_hash", EXPIRED, tokenSeconds),
        // RFC 9700 §4.14.2: a family must stay revocable, and a revoked one known to Revocations.live(),
        // while any access token of it may be live
        Step.of("token_families", "id", EXPIRED
            + " AND (revoked_at IS NULL OR revoked_at < now() - make_interval(secs => $1))"
            + " AND NOT EXISTS (SELECT 1 FROM refresh_tokens t WHERE t.family_id = token_families.id)",
            tokenSeconds));
  }

  @Override
  public Future<Purged> run() {
    return pool.withConnection(conn -> conn.query("SELECT pg_try_advisory_lock(" + LOCK_ID + ")").execute()
            .compose(rows -> rows.iterator().next().getBoolean(0)
                ? purge(conn).eventually(() -> conn.query("SELECT pg_advisory_unlock(" + LOCK_ID + ")").execute())
                : Future.succeededFuture(Purged.SKIPPED)))
        .onSuccess(PgPurge::report)
        // the database may be away: the next period tries again, a stack trace would say nothing more
        .onFailure(err -> log.warn("purge of expired rows failed, retried next period: {}", err.getMessage()));
  }

  private Future<Purged> purge(SqlConnection conn) {
    // the longest access TTL of any client, as Revocations.live() and the not-before marks use it
    return conn.preparedQuery("SELECT greatest($1, coalesce(max(access_ttl), 0)) FROM clients")
        .execute(Tuple.of(accessTtl))
        .map(rows -> rows.iterator().next().getInteger(0) + MARGIN_SECONDS)
        .compose(tokenSeconds -> {
          Map<String, Long> deleted = new LinkedHashMap<>();
          Future<Void> chain = Future.succeededFuture();
          for (Step step : steps(tokenSeconds)) {
            chain = chain.compose(done -> drain(conn, step, 0).map(rows -> {
              deleted.put(step.table(), rows);
              return null;
            }));
          }
          return chain.map(done -> new Purged(true, deleted));
        });
  }

  /** Batch after batch until one comes back short. */
  private static Future<Long> drain(SqlConnection conn, Step step, long deleted) {
    return conn.preparedQuery(step.sql()).execute(Tuple.of(step.keepSeconds(), BATCH))
        .compose(rows -> rows.rowCount() < BATCH
            ? Future.succeededFuture(deleted + rows.rowCount())
            : drain(conn, step, deleted + rows.rowCount()));
  }

  private static void report(Purged purged) {
    if (!purged.ran()) {
      log.debug("purge skipped: another instance is purging");
    } else if (purged.total() > 0) {
      log.info("purged rows that can no longer matter: {}", purged.deleted());
    }
  }
}
