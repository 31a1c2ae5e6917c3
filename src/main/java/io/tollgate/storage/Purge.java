package io.tollgate.storage;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.util.Map;

/**
 * Deletes the rows that can no longer matter (expired codes, sessions, refresh tokens, families,
 * revocations and login failures), so that the database does not grow forever (issue 7). Safe to
 * run from every instance at once: only one purges at a time, the others skip their turn.
 */
public interface Purge {
  /** One pass over every table, in batches that each commit on their own; logs its outcome. */
  Future<Purged> run();

  /**
   * {@code accessTtl}: the default access-token lifetime; {@code lockSeconds}: the login lockout,
   * after which a username's failures are forgotten.
   */
  static Purge postgres(Pool pool, int accessTtl, int lockSeconds) {
    return new PgPurge(pool, accessTtl, lockSeconds);
  }

  /** Rows deleted per table; {@code ran} is false when another instance was purging. */
  record Purged(boolean ran, Map<String, Long> deleted) {
    static final Purged SKIPPED = new Purged(false, Map.of());

    public long total() {
      return deleted.values().stream().mapToLong(Long::longValue).sum();
    }
  }
}
